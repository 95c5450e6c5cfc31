-- Identifiers that can stand for a person: linkable type, not blocked, not a hub.
with observations as (

    select * from {{ ref('identifier_observations') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

blocked as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

hubs as (

    select * from {{ ref('identity_hubs') }}

),

nodes as (

    select
        observations.node_id,
        observations.identifier_type,
        any_value(identifier_types.priority) as priority,
        min(observations.observed_at) as first_seen_at
    from observations
    inner join identifier_types on observations.identifier_type = identifier_types.identifier_type
    left join blocked on observations.node_id = blocked.node_id
    left join hubs on observations.node_id = hubs.node_id
    where identifier_types.links_people and blocked.node_id is null and hubs.node_id is null
    group by observations.node_id, observations.identifier_type

)

select * from nodes
