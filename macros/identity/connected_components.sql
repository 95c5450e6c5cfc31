{#-
    Connected components of an undirected graph, as a SELECT statement.

    connected_components(edges, node_a='node_a', node_b='node_b') reads a relation (or, on DuckDB
    only, a CTE name) `edges` whose two node columns hold identifiers (compared as strings). Each row is an
    undirected edge; self-loops and duplicate or reversed edges are allowed, and a row whose
    endpoints are equal, or whose other endpoint is null, still makes its node part of the graph.
    The statement returns one row per node:

        node        varchar  the node id
        component   varchar  the smallest node id of its component (so the labels are deterministic)
        iterations  integer  rounds the algorithm used (same value on every row, 0 without edges)

    It is a plain SELECT, so it works as a model body or as the body of a CTE; its own CTEs are
    prefixed `_cc_` so they do not hide the caller's. On DuckDB it is one self-contained statement;
    on Spark the macro first runs a loop of statements over work tables and returns a SELECT from
    the last one (see spark__connected_components below: a relation only, table models only,
    post-hook connected_components_drop_work_tables()).

    How it works (DuckDB):
    1. Node ids become 63-bit integers: hash(node) >> 1. Nodes whose hashes collide (normally none)
       get ids with the top bit set instead, numbered in string order, so the mapping is exact.
       Hash ids are also a random order of the nodes, which the contraction below relies on.
    2. Contraction (recursive CTE): the working table holds the edges of the current, contracted
       graph, stored as (a, b) with a < b and without self-loops (and, after the first round,
       without duplicates). Each round
       - every node b hooks to its smallest neighbour: hook(b) = min(a) over its edges (a, b);
         hooks only point downwards, so they form a forest; a node without a smaller neighbour is
         a root of this round;
       - a node whose hook, or whose hook's hook, is a root is merged into that root (pointer
         jumping: the target is hook(b) or hook(hook(b))); deeper nodes wait for a later round;
       - edges are relabelled to the merged nodes' targets; self-loops and duplicates are dropped.
       Merged nodes leave the graph for good, each with one (node, target) row, and the rows form
       a forest whose roots are the nodes left when no edge remains: one root per component.
       Every node with a smaller neighbour has a chain of hooks down to a root, so each round
       merges every node within two hooks of a root. In a random order that is most nodes (any
       node whose smallest neighbour is a local minimum is one), so each round removes a constant
       share of the nodes and edges of every component and of every path through it (about 60% on
       a path). A component of diameter d so collapses in O(log d) rounds in expectation (paths
       of 10^3, 10^5 and 10^6 nodes: 8, 12 and 14 rounds), where label propagation needs d rounds.
    3. Resolution (recursive CTE): labels are pushed down the merge forest from its roots, one
       level per round. A node merged in round r points to a node still present after round r, so
       the forest is at most as deep as the number of contraction rounds.
    4. Each node takes the smallest node id of its root's group as its component.
    `iterations` is the number of contraction rounds plus the number of resolution rounds.

    Both recursions are plain UNION ALL: each round needs only the previous round's rows (the
    current edges; the newly labelled nodes), which is what the working table holds. Pointer
    jumping over a USING KEY table, which updates labels in place, measured 4x slower for the
    resolution. The working edges are read by three parts of a round, so `_cc_round_edges` is
    NOT MATERIALIZED: scanning them again is cheaper than copying them.
-#}
{% macro connected_components(edges, node_a='node_a', node_b='node_b') -%}
    {{ return(adapter.dispatch('connected_components', 'portrait')(edges, node_a, node_b)) }}
{%- endmacro %}


{% macro default__connected_components(edges, node_a, node_b) -%}
    {{ exceptions.raise_compiler_error(
        "connected_components has no implementation for the '" ~ adapter.type() ~ "' adapter:"
        ~ " add a " ~ adapter.type() ~ "__connected_components macro (see macros/identity/connected_components.sql)"
    ) }}
{%- endmacro %}


{% macro duckdb__connected_components(edges, node_a, node_b) -%}
with recursive
_cc_endpoints as (
    select
        cast({{ node_a }} as varchar) as a,
        cast({{ node_b }} as varchar) as b
    from {{ edges }}
),

_cc_nodes as (
    select
        node,
        hash(node) >> 1 as hashed_id
    from (
        select a as node from _cc_endpoints
        union all
        select b as node from _cc_endpoints
    )
    where node is not null
    group by node
),

-- Nodes sharing a hash (normally none) get ids of their own, with the top bit set.
_cc_collisions as (
    select
        node,
        (1::ubigint << 63) | row_number() over (order by node) as id
    from _cc_nodes
    where hashed_id in (
        select hashed_id from _cc_nodes
        group by hashed_id
        having count(*) > 1
    )
),

_cc_node_ids as (
    select
        n.node,
        coalesce(c.id, n.hashed_id) as id
    from _cc_nodes as n
    left join _cc_collisions as c on n.node = c.node
),

-- Edges as (smaller id, larger id) without self-loops; duplicates go in the first round's relabelling.
_cc_edges as (
    select
        least(x, y) as a,
        greatest(x, y) as b
    from (
        select
            coalesce(ca.id, hash(e.a) >> 1) as x,
            coalesce(cb.id, hash(e.b) >> 1) as y
        from _cc_endpoints as e
        left join _cc_collisions as ca on e.a = ca.node
        left join _cc_collisions as cb on e.b = cb.node
        where e.a <> e.b
    )
),

-- Rows (true, r, a, b): an edge of round r's graph; (false, r, node, target): node merged in round r.
_cc_contraction (is_edge, round, a, b) as (
    select true, 1, a, b from _cc_edges
    union all
    (
        with
        _cc_round_edges as not materialized (
            select round, a, b from _cc_contraction where is_edge
        ),

        _cc_round as (
            select any_value(round) as round from _cc_round_edges
        ),

        _cc_hooks as (
            select b as node, min(a) as hook
            from _cc_round_edges
            group by b
        ),

        -- Merge a node into its hook, or into its hook's hook, whichever is a root (has no hook).
        _cc_merges as (
            select
                h.node,
                coalesce(g.hook, h.hook) as target
            from _cc_hooks as h
            left join _cc_hooks as g on h.hook = g.node
            left join _cc_hooks as k on g.hook = k.node
            where k.node is null
        )

        select false, r.round, m.node, m.target
        from _cc_merges as m, _cc_round as r

        union all

        select true, r.round + 1, e.a, e.b
        from (
            select distinct
                least(coalesce(ma.target, e.a), coalesce(mb.target, e.b)) as a,
                greatest(coalesce(ma.target, e.a), coalesce(mb.target, e.b)) as b
            from _cc_round_edges as e
            left join _cc_merges as ma on e.a = ma.node
            left join _cc_merges as mb on e.b = mb.node
        ) as e, _cc_round as r
        where e.a <> e.b
    )
),

_cc_merged as (
    select a as node, b as target from _cc_contraction where not is_edge
),

-- Roots first, then down the merge forest one level per round.
_cc_resolved (node, root, depth) as (
    select m.node, m.target, 1
    from _cc_merged as m
    where not exists (select 1 from _cc_merged as p where p.node = m.target)
    union all
    select m.node, r.root, r.depth + 1
    from _cc_resolved as r
    inner join _cc_merged as m on r.node = m.target
),

_cc_rounds as (
    select
        (select coalesce(max(round), 0) from _cc_contraction)
        + (select coalesce(max(depth), 0) from _cc_resolved) as iterations
),

_cc_labelled as (
    select
        n.node,
        coalesce(r.root, n.id) as root
    from _cc_node_ids as n
    left join _cc_resolved as r on n.id = r.node
)

select
    l.node,
    min(l.node) over (partition by l.root) as component,
    cast(c.iterations as integer) as iterations
from _cc_labelled as l, _cc_rounds as c
{%- endmacro %}


{#-
    Spark implementation: DuckDB's contraction, run as a LOOP of statements, one round per
    statement, over Parquet work tables; it returns a plain SELECT from the last of them.

    Why a loop: Spark has no recursive CTE usable here (WITH RECURSIVE forbids aggregates, joins
    of the recursive reference with itself and window functions over it), and unrolling a fixed
    number of rounds into one statement made a plan that took seconds per round to analyse and
    a round count that did not follow the graph. A loop runs exactly the rounds the graph needs:
    it stops when no edge is left.

    Arguments as for connected_components, except that `edges` must be a RELATION (ref() or
    source()): the statements run before the model's query, so they cannot read a CTE of it (a
    string raises a compiler error naming the macro when the model runs). The model must be a table or an
    incremental model (a view or an ephemeral model would read work tables that are dropped when
    it has run: compiler error), with the post-hook `{{ connected_components_drop_work_tables() }}`.

    Work tables, Parquet, in the MODEL'S SCHEMA while the model runs: <model>__cc_<part>, with
        nodes         node string, id bigint: one row per node (ids below)
        edges_<r>     a bigint, b bigint: the edges of the graph after round r, a < b, no
                      self-loops, no duplicates (edges_0: the input's edges)
        merges_<r>    node bigint, target bigint: the nodes merged in round r and their targets
        resolve_<k>   node bigint, target bigint, moved boolean: the merge forest after k steps of
                      pointer jumping
        labels        node string, component string, iterations int: the result
    Each round drops the tables it no longer needs; at the end every work table but `labels` is
    dropped, and the model's post-hook drops `labels` (and any leftover of a failed run, which
    the next run also drops before it starts).

    When dbt only parses (execute is false), it returns a SELECT of no rows with the same columns.
    When it executes (dbt run/build, and also dbt compile, which executes it too):
    1. Ids: xxhash64(node) >> 1 (a random order of the nodes, as the contraction needs); nodes
       whose hashes collide (normally none) get -2^63 + their rank in string order, below every
       hashed id, so the mapping is exact. (DuckDB's hash is not available on Spark; the order
       only changes how many rounds run, never the labels.)
    2. Contraction, one round per loop step r = 1, 2, ... (the DuckDB round, same tie rules):
       hook(b) = min(a) over the edges (a, b); b merges into hook(b) if that is a root (has no
       hook), else into hook(hook(b)) if that is one (merges_<r>); the edges are relabelled to
       the targets, self-loops and duplicates dropped (edges_<r>). Stops at the first round that
       leaves no edge.
    3. Resolution: pointer jumping on the merge forest (every merged node's target replaced by
       its target's target), one step per statement, until no target moves: about
       log2(depth) + 1 steps, the depth being at most the number of rounds.
    4. Component: the smallest node id of each root's group (labels identical to DuckDB's).
    Bound: contraction rounds and resolution steps are each limited to 2 * ceil(log2(nodes)) + 8
    (var connected_components_spark_max_rounds overrides it). A round removes a constant share of
    the nodes of every path in expectation (about 60% on a path), so the rounds grow with log2
    of the diameter (DuckDB: 8, 12 and 14 rounds on paths of 10^3, 10^5 and 10^6 nodes), but
    this is an expectation, not a worst case: past the bound the macro drops its work tables and
    raises a compiler error naming itself, the rounds and the bound; it never returns partial
    labels.
    `iterations`: contraction rounds plus the resolution steps that moved a target (0 without
    edges); not the same count as DuckDB's, whose hash order differs.

    Source of the algorithm: graph contraction by hooking to the smallest neighbour with pointer
    jumping in a random order of the vertices (Shiloach-Vishkin style hooking; the randomised
    contraction of e.g. "Connected Components in MapReduce and Beyond", Kiveris et al., SoCC
    2014); see the DuckDB variant above for the round itself.
-#}
{% macro spark__connected_components(edges, node_a, node_b) -%}
{%- if not execute -%}
    {{ return(
        "select cast(null as string) as node, cast(null as string) as component, cast(null as int) as iterations"
        ~ " from (select 1 as x) as _cc_parse where x = 0"
    ) }}
{%- endif -%}
{%- if edges is string -%}
    {{ exceptions.raise_compiler_error(
        "connected_components (spark__connected_components) needs a relation, not the name '" ~ edges ~ "':"
        ~ " on Spark it runs statements over the edges before the model's query, which cannot read the"
        ~ " model's CTEs; pass ref(...) or source(...)"
    ) }}
{%- endif -%}
{%- if config.get('materialized') in ('view', 'ephemeral') -%}
    {{ exceptions.raise_compiler_error(
        "connected_components (spark__connected_components) in " ~ this ~ ": the model reads work tables that"
        ~ " are dropped when it has run; materialize it as a table (it is a " ~ config.get('materialized') ~ ")"
    ) }}
{%- endif -%}
{%- do connected_components_drop_work_tables() -%}
{%- set nodes = _cc_spark_work_table('nodes') -%}
{%- do run_query(_cc_spark_nodes_sql(nodes, edges, node_a, node_b)) -%}
{%- do run_query(_cc_spark_first_edges_sql(_cc_spark_work_table('edges_0'), nodes, edges, node_a, node_b)) -%}
{%- set counted = run_query(
    'select (select count(*) from ' ~ nodes ~ '), (select count(*) from ' ~ _cc_spark_work_table('edges_0') ~ ')'
).rows[0] -%}
{%- set node_count = counted[0] | int -%}
{#- bound = 2 * ceil(log2(nodes)) + 8 -#}
{%- set bits = namespace(n=0) -%}
{%- for k in range(64) if 2 ** k < node_count -%}{%- set bits.n = k + 1 -%}{%- endfor -%}
{%- set bound = var('connected_components_spark_max_rounds', none) -%}
{%- set bound = (2 * bits.n + 8) if bound is none else bound | int -%}
{%- set state = namespace(edges=counted[1] | int, rounds=0, steps=0, moved=1, forest=none) -%}

{#- Contraction: round r reads edges_<r-1>, writes merges_<r> and edges_<r>. -#}
{%- for r in range(1, bound + 1) -%}
    {%- if state.edges > 0 -%}
        {%- set previous = _cc_spark_work_table('edges_' ~ (r - 1)) -%}
        {%- set merges = _cc_spark_work_table('merges_' ~ r) -%}
        {%- set current = _cc_spark_work_table('edges_' ~ r) -%}
        {%- call statement('connected_components_merges') -%}
            create table {{ merges }} using parquet as
            with _cc_hooks as (
                select b as node, min(a) as hook
                from {{ previous }}
                group by b
            )
            -- Merge a node into its hook, or into its hook's hook, whichever is a root (has no hook).
            select h.node, coalesce(g.hook, h.hook) as target
            from _cc_hooks as h
            left join _cc_hooks as g on h.hook = g.node
            left join _cc_hooks as k on g.hook = k.node
            where k.node is null
        {%- endcall -%}
        {%- call statement('connected_components_edges') -%}
            create table {{ current }} using parquet as
            select distinct least(x, y) as a, greatest(x, y) as b
            from (
                select coalesce(ma.target, e.a) as x, coalesce(mb.target, e.b) as y
                from {{ previous }} as e
                left join {{ merges }} as ma on e.a = ma.node
                left join {{ merges }} as mb on e.b = mb.node
            ) as e
            where x <> y
        {%- endcall -%}
        {%- do run_query('drop table if exists ' ~ previous) -%}
        {%- set state.edges = run_query('select count(*) from ' ~ current).rows[0][0] | int -%}
        {%- set state.rounds = r -%}
    {%- endif -%}
{%- endfor -%}
{%- if state.edges > 0 -%}
    {%- do connected_components_drop_work_tables() -%}
    {{ exceptions.raise_compiler_error(
        "connected_components (spark__connected_components) in " ~ this ~ ": " ~ state.edges ~ " edges left after "
        ~ state.rounds ~ " rounds, the bound for " ~ node_count ~ " nodes (2 * ceil(log2(nodes)) + 8, or var"
        ~ " connected_components_spark_max_rounds); the graph did not contract in time, no labels returned"
    ) }}
{%- endif -%}

{#- Resolution: pointer jumping over the merge forest until no target moves. -#}
{%- if state.rounds > 0 -%}
    {%- set parts = [] -%}
    {%- for r in range(1, state.rounds + 1) -%}
        {%- do parts.append('select node, target from ' ~ _cc_spark_work_table('merges_' ~ r)) -%}
    {%- endfor -%}
    {%- set state.forest = '(' ~ (parts | join(' union all ')) ~ ')' -%}
    {%- for k in range(1, bound + 1) -%}
        {%- if state.moved > 0 -%}
            {%- set resolved = _cc_spark_work_table('resolve_' ~ k) -%}
            {%- call statement('connected_components_resolve') -%}
                create table {{ resolved }} using parquet as
                select p.node, coalesce(q.target, p.target) as target, q.node is not null as moved
                from {{ state.forest }} as p
                left join {{ state.forest }} as q on p.target = q.node
            {%- endcall -%}
            {%- if k > 1 -%}
                {%- do run_query('drop table if exists ' ~ _cc_spark_work_table('resolve_' ~ (k - 1))) -%}
            {%- endif -%}
            {%- set state.moved = run_query('select count(*) from ' ~ resolved ~ ' where moved').rows[0][0] | int -%}
            {%- set state.forest = resolved -%}
            {%- if state.moved > 0 -%}{%- set state.steps = k -%}{%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if state.moved > 0 -%}
        {%- do connected_components_drop_work_tables() -%}
        {{ exceptions.raise_compiler_error(
            "connected_components (spark__connected_components) in " ~ this ~ ": the merge forest was not resolved in "
            ~ bound ~ " steps (var connected_components_spark_max_rounds); no labels returned"
        ) }}
    {%- endif -%}
{%- endif -%}

{%- set labels = _cc_spark_work_table('labels') -%}
{%- call statement('connected_components_labels') -%}
    create table {{ labels }} using parquet as
    with _cc_roots as (
        select
            n.node,
            {%- if state.forest is none %}
            n.id as root
        from {{ nodes }} as n
            {%- else %}
            coalesce(p.target, n.id) as root
        from {{ nodes }} as n
        left join {{ state.forest }} as p on n.id = p.node
            {%- endif %}
    ),

    _cc_smallest as (
        select root, min(node) as component
        from _cc_roots
        group by root
    )

    select r.node, s.component, cast({{ state.rounds + state.steps }} as int) as iterations
    from _cc_roots as r
    inner join _cc_smallest as s on r.root = s.root
{%- endcall -%}
{%- do run_query('drop table if exists ' ~ nodes) -%}
{%- do run_query('drop table if exists ' ~ _cc_spark_work_table('edges_' ~ state.rounds)) -%}
{%- for r in range(1, state.rounds + 1) -%}
    {%- do run_query('drop table if exists ' ~ _cc_spark_work_table('merges_' ~ r)) -%}
{%- endfor -%}
{%- if state.forest is not none -%}
    {%- do run_query('drop table if exists ' ~ state.forest) -%}
{%- endif -%}
{{ return('select node, component, iterations from ' ~ labels) }}
{%- endmacro %}


{#- The work table <model>__cc_<name> in the model's schema. -#}
{% macro _cc_spark_work_table(name) -%}
    {{ return(this.incorporate(path={'identifier': this.identifier ~ '__cc_' ~ name}, type='table')) }}
{%- endmacro %}


{#- nodes(node, id): every non-null endpoint once, with its id (collisions: exact fallback ids). -#}
{% macro _cc_spark_nodes_sql(nodes, edges, node_a, node_b) -%}
create table {{ nodes }} using parquet as
with
_cc_endpoints as (
    select
        cast({{ node_a }} as string) as a,
        cast({{ node_b }} as string) as b
    from {{ edges }}
),

_cc_nodes as (
    select
        node,
        xxhash64(node) >> 1 as hashed_id,
        count(*) over (partition by xxhash64(node) >> 1) as sharing
    from (
        select a as node from _cc_endpoints
        union
        select b as node from _cc_endpoints
    ) as n
    where node is not null
),

-- Nodes sharing a hash (normally none) get ids of their own, below every hashed id.
_cc_collisions as (
    select
        node,
        -9223372036854775807 - 1 + row_number() over (order by node) as id
    from _cc_nodes
    where sharing > 1
)

select n.node, coalesce(c.id, n.hashed_id) as id
from _cc_nodes as n
left join _cc_collisions as c on n.node = c.node
{%- endmacro %}


{#- edges_0(a, b): the input's edges as ids, a < b, without self-loops, null endpoints or duplicates. -#}
{% macro _cc_spark_first_edges_sql(first, nodes, edges, node_a, node_b) -%}
create table {{ first }} using parquet as
select distinct least(na.id, nb.id) as a, greatest(na.id, nb.id) as b
from {{ edges }} as e
inner join {{ nodes }} as na on cast(e.{{ node_a }} as string) = na.node
inner join {{ nodes }} as nb on cast(e.{{ node_b }} as string) = nb.node
where na.id <> nb.id
{%- endmacro %}


{#-
    connected_components_drop_work_tables(): drops the work tables of connected_components for
    the current model (on Spark: every <model>__cc_* table of its schema; elsewhere nothing).
    Use it as the post-hook of a model that calls connected_components; returns no SQL.
-#}
{% macro connected_components_drop_work_tables() -%}
    {{ return(adapter.dispatch('connected_components_drop_work_tables', 'portrait')()) }}
{%- endmacro %}


{% macro default__connected_components_drop_work_tables() -%}
    {{ return('') }}
{%- endmacro %}


{% macro spark__connected_components_drop_work_tables() -%}
    {%- if execute -%}
        {%- set found = run_query("show tables in " ~ this.schema ~ " like '" ~ this.identifier ~ "__cc_*'") -%}
        {%- for row in found.rows if not row[2] -%}
            {%- do run_query('drop table if exists ' ~ this.schema ~ '.' ~ row[1]) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
