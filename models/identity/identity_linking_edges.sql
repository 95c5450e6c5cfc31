-- Edges that link people: both ends are person identifiers (not hubs), ranked by strength of evidence.
with edges as (

    select * from {{ ref('identity_edges') }}

),

nodes as (

    select * from {{ ref('int_identity_nodes') }}

),

linking as (

    select
        edges.node_a,
        edges.node_b,
        edges.first_seen_at,
        edges.last_seen_at,
        -- Evidence is as strong as its weaker identifier; ties go to the earlier edge.
        cast(row_number() over (
            order by
                greatest(node_a.priority, node_b.priority),
                least(node_a.priority, node_b.priority),
                edges.first_seen_at nulls last,
                edges.node_a,
                edges.node_b
        ) as bigint) as strength_rank
    from edges
    inner join nodes as node_a on edges.node_a = node_a.node_id
    inner join nodes as node_b on edges.node_b = node_b.node_id

)

select * from linking
