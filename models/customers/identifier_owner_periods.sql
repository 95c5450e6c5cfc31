-- Who each bare identifier (as identifier_people names it) belonged to when, by the as_of
-- cut-off: one row per identifier and owner period (valid_from inclusive, valid_to exclusive, null
-- bounds open). Rows that carry only an identifier and a time (consent changes, campaign events)
-- resolve to the owner at that time: a recycled number's later rows go to its newer owner, the
-- earlier ones stay with the older. Owner periods starting after the cut-off are not known yet.
-- A bare openid seen under several appids has no periods of its own: it keeps its one person
-- from identifier_people, for all time.
with observations as (

    select * from {{ ref('identifier_observations') }}
    where observed_at < {{ as_of_cutoff() }}

),

owners as (

    select * from {{ ref('identity_identifier_owners') }}
    where valid_from is null or valid_from < {{ as_of_cutoff() }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

observed_nodes as (

    select distinct
        identifier_type,
        node_id,
        case
            when identifier_type = 'openid'
                then substr(identifier_value, instr(identifier_value, '/') + 1)
            else identifier_value
        end as identifier
    from observations

),

single_node_identifiers as (

    select
        identifier_type,
        identifier,
        min(node_id) as node_id
    from observed_nodes
    group by identifier_type, identifier
    having count(*) = 1

),

node_periods as (

    select
        single_node_identifiers.identifier_type,
        single_node_identifiers.identifier,
        owners.one_id,
        owners.valid_from,
        case when owners.valid_to < {{ as_of_cutoff() }} then owners.valid_to end as valid_to
    from single_node_identifiers
    inner join owners on single_node_identifiers.node_id = owners.node_id

),

shared_bare_identifiers as (

    select
        identifier_people.identifier_type,
        identifier_people.identifier,
        identifier_people.one_id,
        cast(null as timestamp) as valid_from,
        cast(null as timestamp) as valid_to
    from identifier_people
    left join single_node_identifiers
        on
            identifier_people.identifier_type = single_node_identifiers.identifier_type
            and identifier_people.identifier = single_node_identifiers.identifier
    where single_node_identifiers.identifier is null

),

periods as (

    select * from node_periods
    union all
    select * from shared_bare_identifiers

)

select * from periods
