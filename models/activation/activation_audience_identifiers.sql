-- depends_on: {{ ref('identifier_types') }}
{#-
    What each destination may receive about each person: one row per destination, person and
    exported identifier, normalised and hashed as the destination's spec says. The export script
    reads audiences only from here (joined to segment_members). Hard filters:
      - consent: the person is consented for the destination's channel (int_activation_consents);
      - minors (is_minor) never go to advertising destinations;
      - minimum necessary: of the identifier types a destination names, only the first in order of
        preference a person holds is written, at most max_identifiers_per_person values of it
        (most recently seen first).
-#}
{%- set destinations = activation_destinations() %}

with person_identifiers as (

    select * from {{ ref('int_activation_identifiers') }}

),

consents as (

    select * from {{ ref('int_activation_consents') }}

),

profile as (

    select * from {{ ref('customer_profile') }}

),

minors as (

    select one_id from profile
    where coalesce(is_minor, false)

),

candidates as (

    {%- for destination in destinations %}
        {%- for identifier in destination.identifiers %}
    select
        {{ sql_string(destination.name) }} as destination,
        person_identifiers.one_id,
        person_identifiers.identifier_type,
        {{ sql_string(identifier.id_type) }} as id_type,
        {{ activation_identifier('person_identifiers.identifier', identifier, destination.hash_case) }} as exported_identifier,
        {{ loop.index }} as type_preference,
        {{ destination.max_identifiers_per_person }} as max_identifiers_per_person,
        person_identifiers.last_seen_at
    from person_identifiers
            {%- if destination.consent_channel != 'none' %}
    inner join consents
        on
            person_identifiers.one_id = consents.one_id
            and consents.channel = {{ sql_string(destination.consent_channel) }}
            and consents.is_consented
            {%- endif %}
            {%- if destination.kind == 'advertising' %}
    left join minors on person_identifiers.one_id = minors.one_id
            {%- endif %}
    where
        person_identifiers.identifier_type = {{ sql_string(identifier.type) }}
            {%- if destination.kind == 'advertising' %}
        and minors.one_id is null
            {%- endif %}
    {{ 'union all' if not loop.last }}
        {%- endfor %}
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as string) as destination,
        cast(null as string) as one_id,
        cast(null as string) as identifier_type,
        cast(null as string) as id_type,
        cast(null as string) as exported_identifier,
        cast(null as integer) as type_preference,
        cast(null as integer) as max_identifiers_per_person,
        cast(null as timestamp) as last_seen_at
    where false
    {%- endfor %}

),

ranked as (

    select
        *,
        min(type_preference) over (partition by destination, one_id) as preferred_type,
        cast(row_number() over (
            partition by destination, one_id, type_preference
            order by last_seen_at desc nulls last, exported_identifier
        ) as bigint) as identifier_rank
    from candidates

),

audience_identifiers as (

    select
        destination,
        one_id,
        identifier_type,
        id_type,
        exported_identifier,
        identifier_rank
    from ranked
    where
        type_preference = preferred_type
        and identifier_rank <= max_identifiers_per_person

)

select * from audience_identifiers
