{#-
    Connected components of an undirected graph, as one SELECT statement.

    connected_components(edges, node_a='node_a', node_b='node_b') reads a relation or CTE name
    `edges` whose two node columns hold identifiers (compared as strings). Each row is an
    undirected edge; self-loops and duplicate or reversed edges are allowed, and a row whose
    endpoints are equal, or whose other endpoint is null, still makes its node part of the graph.
    The statement returns one row per node:

        node        varchar  the node id
        component   varchar  the smallest node id of its component (so the labels are deterministic)
        iterations  integer  rounds the algorithm used (same value on every row, 0 without edges)

    It is a plain SELECT, so it works as a model body or as the body of a CTE; its own CTEs are
    prefixed `_cc_` so they do not hide the caller's.

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
    Spark implementation: the same contraction as on DuckDB, unrolled into a fixed number of
    rounds of chained CTEs, so the result is still ONE SELECT statement.

    Why one statement (and not a loop of run_query statements over temporary tables): the caller
    may pass the name of a CTE of its own query (int_identity_components passes `linking_edges`),
    which no statement run before the model can read. Spark has no recursive CTE usable here
    (its WITH RECURSIVE forbids aggregates and window functions over the recursive reference).

    Why one reference per round: Spark inlines every deterministic CTE at each of its references,
    so a round that read the previous round twice (as the DuckDB round does) would double the plan
    every round. Each round here reads the previous round's relation exactly once: every lookup
    "value of node x" is a window over rows keyed by x (the row holding the value and the rows
    asking for it, made by exploding a row into copies), not a join. The plan grows linearly with
    the rounds: about 4 shuffles per round.

    State: one relation of rows (is_edge, a, b, node, r):
        is_edge = true:  an edge (a, b) of the current contracted graph, ids a < b (bigint)
        is_edge = false: an original node `node` (varchar), a its id, b its current representative
                         (the node it has been merged into, transitively), r the last round that
                         changed b
    Ids: xxhash64(node) >> 1 (a random order of the nodes, as the contraction needs); nodes whose
    hashes collide (normally none) get -2^63 + their rank in string order instead, so the mapping
    is exact.
    A round (DuckDB's, see above): hook(b) = min(a) over the edges (a, b); b merges into hook(b)
    if that is a root (has no hook), or into hook(hook(b)) if that is; representatives and edge
    endpoints are relabelled to their merge targets; self-loops and duplicate edges are dropped.
    Node rows take their representative's target, so no resolution phase is needed at the end.

    Rounds: a round removes a constant share of the nodes of every path in expectation (hash
    order; about 60% on a path), so the rounds grow with log2 of the diameter, but this is an
    expectation, not a worst-case bound. The number of rounds unrolled is
        ceil(1.5 * ceil(log2(rows of edges * 2 + 1))) + 4
    when `edges` is a relation (its rows counted with run_query when the model runs), or
    var('connected_components_spark_rounds', 48) when it is the name of a CTE (rows not countable
    beforehand; 48 rounds is that bound for 2^29 nodes). DuckDB needs 8, 12 and 14 rounds on
    paths of 10^3, 10^5 and 10^6 nodes. Rounds after the graph is empty cost a few near-empty
    shuffles. Convergence is checked: if any edge is left after the last round the query fails
    with raise_error naming the macro and the rounds (raise the var), never returns partial labels.
    The statement is deep: the macro raises spark.sql.analyzer.maxIterations for the session
    (1000 + 100 per round; Spark's default 100 covers about 5 rounds), and analysis alone takes
    seconds (about 9 s for 10 rounds on a busy local[1]), and the SQL text (about 1.5 KB a round)
    is too long for a view in the embedded Derby metastore (32 KB): call it from table models.
    Shortcoming: for a CTE name the rounds are not derived from the node count; a loop of
    run_query statements over temporary tables would be faster but cannot read a caller's CTE.

    Output as on DuckDB: node (string), component (smallest node of its component, identical
    labels), iterations (rounds that still had edges; 0 without edges; not the same count as
    DuckDB's, whose hash order differs and which adds its resolution rounds).
-#}
{% macro spark__connected_components(edges, node_a, node_b) -%}
{%- set rounds = var('connected_components_spark_rounds', 48) | int -%}
{%- if execute and edges is not string -%}
    {%- set counted = run_query('select count(*) from ' ~ edges) -%}
    {%- set rows = counted.columns[0].values()[0] | int -%}
    {#- bits = ceil(log2(rows * 2 + 1)), an upper bound of log2 of the node count -#}
    {%- set bits = namespace(n=0) -%}
    {%- for k in range(64) if 2 ** k < rows * 2 + 1 -%}{%- set bits.n = k + 1 -%}{%- endfor -%}
    {%- set rounds = ((1.5 * bits.n) | round(0, 'ceil') | int) + 4 -%}
{%- endif -%}
{%- if execute -%}
    {#- The analyzer resolves the chained rounds a few levels per pass: 100 passes (the default) last about 5 rounds. -#}
    {%- do run_query('set spark.sql.analyzer.maxIterations = ' ~ (1000 + 100 * rounds)) -%}
{%- endif -%}
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
),

_cc_round_0 as (
    select
        false as is_edge,
        coalesce(c.id, n.hashed_id) as a,
        coalesce(c.id, n.hashed_id) as b,
        n.node,
        0 as r
    from _cc_nodes as n
    left join _cc_collisions as c on n.node = c.node

    union all

    select true, least(x, y), greatest(x, y), cast(null as string), 0
    from (
        select
            coalesce(ca.id, xxhash64(e.a) >> 1) as x,
            coalesce(cb.id, xxhash64(e.b) >> 1) as y
        from _cc_endpoints as e
        left join _cc_collisions as ca on e.a = ca.node
        left join _cc_collisions as cb on e.b = cb.node
        where e.a <> e.b
    ) as e
){% for i in range(1, rounds + 1) %},

-- Round {{ i }}. Hooks: h = hook(b) = min(a) over the edges (a, b); duplicate edges dropped.
_cc_hooks_{{ i }} as (
    select is_edge, a, b, node, r, h
    from (
        select
            *,
            row_number() over (partition by b, is_edge, a order by a) as copy
        from (
            select
                *,
                case when is_edge then min(a) over (partition by b, is_edge) end as h
            from _cc_round_{{ i - 1 }}
        ) as s
    ) as s
    where copy = 1
),

-- g = hook(h): the edge (h, b) tells b's hook; every edge asks for its h's hook.
_cc_grand_{{ i }} as (
    select is_edge, a, b, node, r, h, g
    from (
        select
            s.*,
            max(case when q.role = 1 then s.h end) over (partition by q.k) as g,
            q.role
        from _cc_hooks_{{ i }} as s
        lateral view inline(
            case
                when not s.is_edge then array(named_struct('k', s.b, 'role', 0))
                when s.a = s.h then array(named_struct('k', s.h, 'role', 0), named_struct('k', s.b, 'role', 1))
                else array(named_struct('k', s.h, 'role', 0))
            end
        ) q as k, role
    ) as s
    where role = 0
),

-- Whether g has a hook; then t = the merge target of b (null: b stays).
_cc_targets_{{ i }} as (
    select
        is_edge, a, b, node, r, h,
        case
            when not is_edge then null
            when g is null then h
            when not g_hooked then g
        end as t
    from (
        select
            s.*,
            max(q.role) over (partition by q.k) = 1 as g_hooked,
            q.role
        from _cc_grand_{{ i }} as s
        lateral view inline(
            case
                when not s.is_edge then array(named_struct('k', s.b, 'role', 0))
                when s.a = s.h then array(named_struct('k', coalesce(s.g, s.b), 'role', 0), named_struct('k', s.b, 'role', 1))
                else array(named_struct('k', coalesce(s.g, s.b), 'role', 0))
            end
        ) q as k, role
    ) as s
    where role = 0
),

-- Relabel: an edge's a and a node's representative take their target (b's is on the edge).
_cc_round_{{ i }} as (
    select
        is_edge,
        case when is_edge then least(coalesce(ta, a), coalesce(t, b)) else a end as a,
        case when is_edge then greatest(coalesce(ta, a), coalesce(t, b)) else coalesce(ta, b) end as b,
        node,
        case when not is_edge and ta is not null then {{ i }} else r end as r
    from (
        select
            s.*,
            max(case when q.role = 1 then s.t end) over (partition by q.k) as ta,
            q.role
        from _cc_targets_{{ i }} as s
        lateral view inline(
            case
                when not s.is_edge then array(named_struct('k', s.b, 'role', 0))
                when s.a = s.h and s.t is not null then array(named_struct('k', s.a, 'role', 0), named_struct('k', s.b, 'role', 1))
                else array(named_struct('k', s.a, 'role', 0))
            end
        ) q as k, role
    ) as s
    where role = 0
      and not (is_edge and coalesce(ta, a) = coalesce(t, b))
){% endfor %},

_cc_final as (
    select
        is_edge,
        node,
        min(node) over (partition by is_edge, b) as component,
        max(r) over () as iterations,
        max(cast(is_edge as int)) over () as edges_left
    from _cc_round_{{ rounds }}
)

select
    node,
    component,
    case
        when edges_left = 1 then cast(raise_error(
            'connected_components: edges left after {{ rounds }} rounds (the graph did not contract in time;'
            || ' raise var connected_components_spark_rounds)'
        ) as int)
        else cast(iterations as int)
    end as iterations
from _cc_final
where not is_edge
{%- endmacro %}
