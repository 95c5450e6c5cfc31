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
