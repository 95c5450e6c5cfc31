-- One row per identifier of each resolved person: the OneID lookup every later layer joins on.
-- Shared identifiers (hubs such as a family device, and attribute-only types such as POS tills)
-- appear under every person they were seen with, flagged `is_shared`.
with observations as (

    select * from {{ ref('int_identifier_observations') }}

),

one_ids as (

    select * from {{ ref('identity_one_ids') }}
    where is_current

),

blocked as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

person_identifiers as (

    select
        one_ids.one_id,
        observations.node_id,
        false as is_shared,
        observations.observed_at,
        observations.source_model
    from observations
    inner join one_ids on observations.node_id = one_ids.node_id

),

shared_observations as (

    -- Identifiers that are no one's own: hubs and attribute-only types (blocked values excluded).
    select observations.*
    from observations
    left join one_ids on observations.node_id = one_ids.node_id
    left join blocked on observations.node_id = blocked.node_id
    where one_ids.node_id is null and blocked.node_id is null

),

shared_identifiers as (

    -- They attach to the people seen in the same row.
    select
        person.one_id,
        shared.node_id,
        true as is_shared,
        shared.observed_at,
        shared.source_model
    from shared_observations as shared
    inner join observations as person_seen
        on
            shared.source_model = person_seen.source_model
            and shared.source_row_key = person_seen.source_row_key
            and shared.node_id != person_seen.node_id
    inner join one_ids as person on person_seen.node_id = person.node_id

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
        list(distinct source_model order by source_model) as source_models
    from (
        select * from person_identifiers
        union all
        select * from shared_identifiers
    ) as all_identifiers
    group by one_id, node_id

)

select * from identities
