-- One row per pair of linkable identifiers seen together in one staged row (the evidence behind an edge).
with observations as (

    select * from {{ ref('identifier_observations') }}

),

blocked as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

linkable as (

    select
        observations.node_id,
        observations.source_model,
        observations.source_row_key,
        observations.observed_at
    from observations
    inner join identifier_types
        on observations.identifier_type = identifier_types.identifier_type
    left join blocked on observations.node_id = blocked.node_id
    where identifier_types.links_people and blocked.node_id is null

),

pairs as (

    -- A node appears once per source row, so pairs are unique without a distinct (a data test checks).
    select
        left_side.node_id as node_a,
        right_side.node_id as node_b,
        left_side.source_model,
        left_side.source_row_key,
        left_side.observed_at,
        'seen_in_same_row' as admitted_by
    from linkable as left_side
    inner join linkable as right_side
        on
            left_side.source_model = right_side.source_model
            and left_side.source_row_key = right_side.source_row_key
            and left_side.node_id < right_side.node_id

)

select * from pairs
