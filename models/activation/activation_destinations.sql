-- depends_on: {{ ref('identifier_types') }}
{#-
    Every activation destination (the exposures of _activation__exposures.yml with a
    `meta.destination` spec), validated, one row per destination, with its identifiers in order of
    preference and the spec as JSON.
-#}
{%- set destinations = activation_destinations() %}

with destinations as (

    {%- for destination in destinations %}
    select
        {{ sql_string(destination.name) }} as destination,
        {{ sql_string(destination.kind) }} as destination_kind,
        {{ sql_list(destination.identifiers | map(attribute='id_type')) }} as id_types,
        {{ sql_string(destination.consent_channel) }} as consent_channel,
        {{ sql_string(destination.file_format) }} as file_format,
        {{ destination.zip }} as is_zipped,
        cast({{ destination.max_file_mb }} as double) as max_file_mb,
        {{ destination.max_identifiers_per_person }} as max_identifiers_per_person,
        {{ sql_list(destination.tags) }} as tags,
        cast({{ sql_string(tojson(destination, sort_keys=true)) }} as {{ engine_type('json') }}) as spec
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as string) as destination,
        cast(null as string) as destination_kind,
        {{ sql_list([]) }} as id_types,
        cast(null as string) as consent_channel,
        cast(null as string) as file_format,
        cast(null as boolean) as is_zipped,
        cast(null as double) as max_file_mb,
        cast(null as integer) as max_identifiers_per_person,
        {{ sql_list([]) }} as tags,
        cast(null as {{ engine_type('json') }}) as spec
    where false
    {%- endfor %}

)

select * from destinations
