-- Each identifier value observed by the as_of cut-off that points to exactly one person at the
-- cut-off, in the form sources that name a bare identifier use (campaign events, third-party tags,
-- lists, exports): openids come without their appid, so they match on the bare openid. A recycled
-- number points to its owner at the cut-off only (identity_identifier_owners); the rows of earlier
-- owners' periods are resolved by identifier_owner_periods.
with observations as (

    select * from {{ ref('identifier_observations') }}
    where observed_at < {{ as_of_cutoff() }}

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
        observations.identifier_type,
        case
            when observations.identifier_type = 'openid'
                then substr(observations.identifier_value, strpos(observations.identifier_value, '/') + 1)
            else observations.identifier_value
        end as identifier,
        min(owners.one_id) as one_id
    from observations
    inner join owners on observations.node_id = owners.node_id
    group by all
    having count(distinct owners.one_id) = 1

)

select * from identifier_people
