-- Each identifier value observed by the as_of cut-off that points to exactly one person, in the
-- form sources that name a bare identifier use (campaign events, third-party tags): openids come
-- without their appid, so they match on the bare openid.
with observations as (

    select * from {{ ref('int_identifier_observations') }}
    where observed_at < {{ as_of_cutoff() }}

),

one_ids as (

    select * from {{ ref('identity_one_ids') }}
    where is_current

),

identifier_people as (

    select
        observations.identifier_type,
        case
            when observations.identifier_type = 'openid'
                then substr(observations.identifier_value, strpos(observations.identifier_value, '/') + 1)
            else observations.identifier_value
        end as identifier,
        min(one_ids.one_id) as one_id
    from observations
    inner join one_ids on observations.node_id = one_ids.node_id
    group by all
    having count(distinct one_ids.one_id) = 1

)

select * from identifier_people
