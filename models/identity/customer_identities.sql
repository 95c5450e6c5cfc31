-- One row per identifier of each resolved person: the OneID lookup every later layer joins on.
-- Shared identifiers (hubs such as a family device, and attribute-only types such as POS tills)
-- appear under every person they were seen with, flagged `is_shared`. An identifier that changed
-- owners (a recycled number) appears under each owner with the rows seen in their period
-- (owned_from / owned_to, see identity_identifier_owners).
-- Observations are summarised per identifier and source before they meet their owner: only
-- identifiers with several owner periods, and the rows holding a shared identifier, are matched
-- row by row.
with observations as (

    select * from {{ ref('identifier_observations') }}

),

owners as (

    select * from {{ ref('identity_identifier_owners') }}

),

blocked as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

sole_owners as (

    -- Identifiers with one owner period (most): every row of theirs is their owner's.
    select * from owners
    where valid_from is null and valid_to is null

),

observed_per_source as (

    select
        node_id,
        source_model,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at
    from observations
    group by node_id, source_model

),

sole_owner_identifiers as (

    select
        sole_owners.one_id,
        observed_per_source.node_id,
        false as is_shared,
        observed_per_source.source_model,
        observed_per_source.first_seen_at,
        observed_per_source.last_seen_at,
        cast(null as timestamp) as valid_from,
        cast(null as timestamp) as valid_to
    from observed_per_source
    inner join sole_owners on observed_per_source.node_id = sole_owners.node_id

),

period_owner_identifiers as (

    -- Identifiers that changed owners: each row goes to the owner of its time.
    select
        owners.one_id,
        observations.node_id,
        false as is_shared,
        observations.source_model,
        min(observations.observed_at) as first_seen_at,
        max(observations.observed_at) as last_seen_at,
        owners.valid_from,
        owners.valid_to
    from observations
    inner join owners
        on
            observations.node_id = owners.node_id
            and not (owners.valid_from is null and owners.valid_to is null)
            and {{ owned_at('owners', 'observations.observed_at') }}
    group by owners.one_id, observations.node_id, observations.source_model, owners.valid_from, owners.valid_to

),

shared_observations as (

    -- Identifiers that are no one's own: hubs and attribute-only types (blocked values excluded).
    select observations.*
    from observations
    left join owners on observations.node_id = owners.node_id
    left join blocked on observations.node_id = blocked.node_id
    where owners.node_id is null and blocked.node_id is null

),

rows_with_shared as (

    select distinct
        source_model,
        source_row_key
    from shared_observations

),

people_in_rows_with_shared as (

    -- The owned identifiers of those rows, with their owner at the time of the row.
    select
        observations.source_model,
        observations.source_row_key,
        observations.node_id,
        owners.one_id
    from observations
    inner join rows_with_shared
        on
            observations.source_model = rows_with_shared.source_model
            and observations.source_row_key = rows_with_shared.source_row_key
    inner join owners
        on
            observations.node_id = owners.node_id
            and {{ owned_at('owners', 'observations.observed_at') }}

),

shared_identifiers as (

    -- They attach to the people seen in the same row.
    select
        person.one_id,
        shared.node_id,
        true as is_shared,
        shared.source_model,
        min(shared.observed_at) as first_seen_at,
        max(shared.observed_at) as last_seen_at,
        cast(null as timestamp) as valid_from,
        cast(null as timestamp) as valid_to
    from shared_observations as shared
    inner join people_in_rows_with_shared as person
        on
            shared.source_model = person.source_model
            and shared.source_row_key = person.source_row_key
            and shared.node_id != person.node_id
    group by person.one_id, shared.node_id, shared.source_model

),

identities as (

    select
        one_id,
        split_part(node_id, ':', 1) as identifier_type,
        substr(node_id, instr(node_id, ':') + 1) as identifier_value,
        node_id,
        bool_or(is_shared) as is_shared,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at,
        {{ sorted_distinct_list('source_model') }} as source_models,
        min(valid_from) as owned_from,
        case when bool_and(valid_to is not null) then max(valid_to) end as owned_to
    from (
        select * from sole_owner_identifiers
        union all
        select * from period_owner_identifiers
        union all
        select * from shared_identifiers
    ) as all_identifiers
    group by one_id, node_id

)

select * from identities
