-- Each identifier value observed by the as_of cut-off that points to exactly one person at the
-- cut-off, in the form sources that name a bare identifier use (campaign events, third-party tags,
-- lists, exports): openids come without their appid, so they match on the bare openid. A recycled
-- number points to its owner at the cut-off only (identity_identifier_owners); the rows of earlier
-- owners' periods are resolved by identifier_owner_periods.
with observed_identifiers as (

    -- Each identifier once (its type and value follow from node_id): who owns it does not
    -- depend on how often it was seen.
    select
        node_id,
        any_value(identifier_type) as identifier_type,
        any_value(identifier_value) as identifier_value
    from {{ ref('identifier_observations') }}
    where observed_at < {{ as_of_cutoff() }}
    group by node_id

),

owners as (

    -- The owner period each identifier is in at the cut-off.
    select * from {{ ref('identity_identifier_owners') }}
    where
        (valid_from is null or valid_from < {{ as_of_cutoff() }})
        and (valid_to is null or valid_to >= {{ as_of_cutoff() }})

),

identifier_people as (

    select
        observed_identifiers.identifier_type,
        case
            when observed_identifiers.identifier_type = 'openid'
                then substr(observed_identifiers.identifier_value, instr(observed_identifiers.identifier_value, '/') + 1)
            else observed_identifiers.identifier_value
        end as identifier,
        min(owners.one_id) as one_id
    from observed_identifiers
    inner join owners on observed_identifiers.node_id = owners.node_id
    group by all
    having count(distinct owners.one_id) = 1

)

select * from identifier_people
