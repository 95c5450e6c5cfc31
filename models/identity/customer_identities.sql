-- One row per identifier of each resolved person: the OneID lookup every later layer joins on.
-- Shared identifiers (hubs such as a family device, and attribute-only types such as POS tills)
-- appear under every person they were seen with, flagged `is_shared`. An identifier that changed
-- owners (a recycled number) appears under each owner with the rows seen in their period
-- (owned_from / owned_to, see identity_identifier_owners).
with observations as (

    select * from {{ ref('identifier_observations') }}

),

owners as (

    select * from {{ ref('identity_identifier_owners') }}

),

observation_owners as (

    -- Each observation of a person identifier with its owner at the time of the row.
    select
        observations.*,
        owners.one_id,
        owners.valid_from,
        owners.valid_to
    from observations
    inner join owners
        on
            observations.node_id = owners.node_id
            and {{ owned_at('owners', 'observations.observed_at') }}

),

blocked as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

person_identifiers as (

    select
        one_id,
        node_id,
        false as is_shared,
        observed_at,
        source_model,
        valid_from,
        valid_to
    from observation_owners

),

shared_observations as (

    -- Identifiers that are no one's own: hubs and attribute-only types (blocked values excluded).
    select observations.*
    from observations
    left join owners on observations.node_id = owners.node_id
    left join blocked on observations.node_id = blocked.node_id
    where owners.node_id is null and blocked.node_id is null

),

shared_identifiers as (

    -- They attach to the people seen in the same row.
    select
        person.one_id,
        shared.node_id,
        true as is_shared,
        shared.observed_at,
        shared.source_model,
        cast(null as timestamp) as valid_from,
        cast(null as timestamp) as valid_to
    from shared_observations as shared
    inner join observation_owners as person
        on
            shared.source_model = person.source_model
            and shared.source_row_key = person.source_row_key
            and shared.node_id != person.node_id

),

identities as (

    select
        one_id,
        split_part(node_id, ':', 1) as identifier_type,
        substr(node_id, strpos(node_id, ':') + 1) as identifier_value,
        node_id,
        bool_or(is_shared) as is_shared,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        list(distinct source_model order by source_model) as source_models,
        min(valid_from) as owned_from,
        case when bool_and(valid_to is not null) then max(valid_to) end as owned_to
    from (
        select * from person_identifiers
        union all
        select * from shared_identifiers
    ) as all_identifiers
    group by one_id, node_id

)

select * from identities
