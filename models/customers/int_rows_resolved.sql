-- Every staged row that carries a person identifier, observed by the as_of cut-off, mapped to one
-- person. An identifier counts for its owner at the row's time (a recycled number's rows after a
-- newer member claimed it go to the newer member; see identity_identifier_owners). When a row's
-- identifiers resolve to different people, the identifier of the strongest type
-- (identifier_types.priority, 1 strongest) decides, then the smallest one_id.
with observations as (

    select * from {{ ref('identifier_observations') }}
    where observed_at < {{ as_of_cutoff() }}

),

owners as (

    select * from {{ ref('identity_identifier_owners') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

row_people as (

    select
        observations.source_model,
        observations.source_row_key,
        observations.node_id,
        observations.identifier_type,
        observations.observed_at,
        owners.one_id,
        identifier_types.priority
    from observations
    inner join owners
        on
            observations.node_id = owners.node_id
            and {{ owned_at('owners', 'observations.observed_at') }}
    inner join identifier_types on observations.identifier_type = identifier_types.identifier_type

),

resolved as (

    select
        source_model,
        source_row_key,
        -- text keys (priority zero-padded, then one_id, then node_id after a chr(1) separator)
        -- order like the tuple and take min_by's (arg_min's) fast path; a list or struct key is 2-4x slower
        min_by(one_id, lpad(cast(priority as string), 4, '0') || one_id) as one_id,
        min_by(identifier_type, lpad(cast(priority as string), 4, '0') || one_id || chr(1) || node_id) as resolved_by,
        min(one_id) != max(one_id) as has_conflict,
        min(observed_at) as observed_at
    from row_people
    group by source_model, source_row_key

)

select * from resolved
