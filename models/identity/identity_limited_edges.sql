-- Audit: links left out because joining the two clusters would give one person more identifiers
-- of a type than `max_per_person` allows (the weaker, later evidence loses).
with linking_edges as (

    select * from {{ ref('int_identity_linking_edges') }}

),

one_ids as (

    select * from {{ ref('identity_one_ids') }}
    where is_current

),

edges as (

    select * from {{ ref('int_identity_edges') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

type_counts as (

    select
        one_id,
        identifier_type,
        count(*) as identifiers
    from one_ids
    group by one_id, identifier_type

),

split_edges as (

    select
        linking_edges.node_a,
        linking_edges.node_b,
        side_a.one_id as one_id_a,
        side_b.one_id as one_id_b,
        linking_edges.strength_rank
    from linking_edges
    inner join one_ids as side_a on linking_edges.node_a = side_a.node_id
    inner join one_ids as side_b on linking_edges.node_b = side_b.node_id
    where side_a.one_id != side_b.one_id

),

reasons as (

    select
        split_edges.node_a,
        split_edges.node_b,
        string_agg(
            identifier_types.identifier_type || ' (' || (coalesce(count_a.identifiers, 0) + coalesce(count_b.identifiers, 0))
            || ' > ' || identifier_types.max_per_person || ')',
            ', ' order by identifier_types.priority
        ) as exceeded_limits
    from split_edges
    cross join identifier_types
    left join type_counts as count_a
        on split_edges.one_id_a = count_a.one_id and identifier_types.identifier_type = count_a.identifier_type
    left join type_counts as count_b
        on split_edges.one_id_b = count_b.one_id and identifier_types.identifier_type = count_b.identifier_type
    where coalesce(count_a.identifiers, 0) + coalesce(count_b.identifiers, 0) > identifier_types.max_per_person
    group by split_edges.node_a, split_edges.node_b

),

limited as (

    select
        split_edges.node_a,
        split_edges.node_b,
        split_edges.one_id_a,
        split_edges.one_id_b,
        'joining would exceed max_per_person: ' || coalesce(reasons.exceeded_limits, 'limit reached when the edge was considered')
            as left_out_reason,
        split_edges.strength_rank,
        edges.evidence_rows,
        edges.first_seen_at,
        edges.source_models
    from split_edges
    inner join edges on split_edges.node_a = edges.node_a and split_edges.node_b = edges.node_b
    left join reasons on split_edges.node_a = reasons.node_a and split_edges.node_b = reasons.node_b

)

select * from limited
