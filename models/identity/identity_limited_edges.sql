-- Audit: links left out because joining the two clusters would give one person more identifiers
-- of a type than `max_per_person` allows (the weaker, later evidence loses), and links that moved
-- an identifier to a new owner instead (outcome `reassigned`: a recycled number claimed by a newer
-- member, see var identifier_reassignment). one_id_a / one_id_b are the people on each side when
-- the link was considered.
with linking_edges as (

    select * from {{ ref('identity_linking_edges') }}

),

one_ids as (

    select * from {{ ref('identity_one_ids') }}
    where is_current

),

edges as (

    select * from {{ ref('identity_edges') }}

),

owners as (

    select * from {{ ref('identity_identifier_owners') }}

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

edges_with_shared_owner as (

    -- Links whose two ends belong to one person in some owner period: kept.
    select distinct
        linking_edges.node_a,
        linking_edges.node_b
    from linking_edges
    inner join owners as owner_a on linking_edges.node_a = owner_a.node_id
    inner join owners as owner_b
        on
            linking_edges.node_b = owner_b.node_id
            and owner_a.one_id = owner_b.one_id

),

left_out_edges as (

    select
        linking_edges.node_a,
        linking_edges.node_b,
        side_a.one_id as one_id_a,
        side_b.one_id as one_id_b,
        linking_edges.strength_rank,
        'left_out' as outcome,
        cast(null as string) as reassignment
    from linking_edges
    inner join owners as side_a
        on linking_edges.node_a = side_a.node_id and {{ owned_at('side_a', 'linking_edges.first_seen_at') }}
    inner join owners as side_b
        on linking_edges.node_b = side_b.node_id and {{ owned_at('side_b', 'linking_edges.first_seen_at') }}
    left join edges_with_shared_owner
        on
            linking_edges.node_a = edges_with_shared_owner.node_a
            and linking_edges.node_b = edges_with_shared_owner.node_b
    where edges_with_shared_owner.node_a is null

),

reassigning_edges as (

    -- The claim that opened a later owner period: the claimant's person on one side, the
    -- identifier's previous owner on the other.
    select
        linking_edges.node_a,
        linking_edges.node_b,
        case when linking_edges.node_a = owners.node_id then owners.previous_one_id else owners.one_id end as one_id_a,
        case when linking_edges.node_b = owners.node_id then owners.previous_one_id else owners.one_id end as one_id_b,
        linking_edges.strength_rank,
        'reassigned' as outcome,
        owners.node_id || ' passed from ' || owners.previous_one_id || ' to ' || owners.one_id
        || ' at ' || {{ format_timestamp('owners.valid_from') }} || ' UTC: claimed by ' || owners.claimed_by_node_id
        || ' ' || {{ days_between('owners.previous_owner_last_seen_at', 'owners.valid_from') }}
        || ' days after its previous owner last used it' as reassignment
    from owners
    inner join linking_edges
        on
            linking_edges.node_a = least(owners.node_id, owners.claimed_by_node_id)
            and linking_edges.node_b = greatest(owners.node_id, owners.claimed_by_node_id)
    where owners.claimed_by_node_id is not null

),

split_edges as (

    select * from left_out_edges
    union all
    select * from reassigning_edges

),

reasons as (

    select
        split_edges.node_a,
        split_edges.node_b,
        {{ ordered_string_agg(
            "identifier_types.identifier_type || ' (' || (coalesce(count_a.identifiers, 0) + coalesce(count_b.identifiers, 0))
            || ' > ' || identifier_types.max_per_person || ')'",
            "', '",
            'identifier_types.priority'
        ) }} as exceeded_limits
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
        split_edges.outcome,
        'joining would exceed max_per_person: ' || coalesce(reasons.exceeded_limits, 'limit reached when the edge was considered')
        || coalesce('; instead ' || split_edges.reassignment, '') as left_out_reason,
        split_edges.strength_rank,
        edges.evidence_rows,
        edges.first_seen_at,
        edges.source_models
    from split_edges
    inner join edges on split_edges.node_a = edges.node_a and split_edges.node_b = edges.node_b
    left join reasons on split_edges.node_a = reasons.node_a and split_edges.node_b = reasons.node_b

)

select * from limited
