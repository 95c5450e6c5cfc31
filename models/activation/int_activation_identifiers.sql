-- depends_on: {{ ref('identifier_types') }}
{#-
    The identifiers a destination can receive, one row per person and identifier: every identifier
    of a type some destination names that points to exactly one person by the as_of cut-off
    (identifier_people), with the last time it was seen by then (the most recent goes first
    when a destination takes fewer than a person holds). Phones must be mainland mobile numbers
    (11 digits starting with 1). one_id itself is listed for destinations that take it.
-#}
{%- set identifier_types = [] %}
{%- for destination in activation_destinations() %}
    {%- for identifier in destination.identifiers if identifier.type != 'one_id' and identifier.type not in identifier_types %}
        {%- do identifier_types.append(identifier.type) %}
    {%- endfor %}
{%- endfor %}
{%- set identifier_literals = [] %}
{%- for identifier_type in identifier_types or ['none'] %}
    {%- do identifier_literals.append(sql_string(identifier_type)) %}
{%- endfor %}

with identifier_people as (

    select * from {{ ref('identifier_people') }}
    where identifier_type in ({{ identifier_literals | join(', ') }})

),

observations as (

    select * from {{ ref('identifier_observations') }}
    where observed_at < {{ as_of_cutoff() }}

),

customers as (

    select * from {{ ref('customers') }}

),

last_seen as (

    select
        identifier_type,
        identifier_value as identifier,
        max(observed_at) as last_seen_at
    from observations
    group by identifier_type, identifier_value

),

person_identifiers as (

    select
        identifier_people.one_id,
        identifier_people.identifier_type,
        identifier_people.identifier,
        last_seen.last_seen_at
    from identifier_people
    left join last_seen
        on
            identifier_people.identifier_type = last_seen.identifier_type
            and identifier_people.identifier = last_seen.identifier
    where
        identifier_people.identifier_type != 'phone'
        or {{ regex_full_match('identifier_people.identifier', "'1[0-9]{10}'") }}

    union all

    select
        customers.one_id,
        'one_id' as identifier_type,
        customers.one_id as identifier,
        null as last_seen_at
    from customers

)

select * from person_identifiers
