{#-
    Every segment definition of models/segments/definitions/*.yml, validated, one row per segment,
    with its rule as written (JSON), the SQL it compiles to, the SQL of each of its conditions
    (for explain), where static and lookalike members come from, its experiment, the tags it
    reads (lineage) and whether its inputs are there (input_status: 'ready', or why the segment
    has no members, e.g. a list file that does not exist).
-#}
{%- set segments = segment_definitions() %}
{%- set list_files = segment_list_files(segments, warn=false) %}

with definitions as (

    {%- for segment in segments %}
    select
        {{ sql_string(segment.code) }} as segment_code,
        {{ sql_string(segment.name_zh) }} as name_zh,
        {{ sql_string(segment.name_en) }} as name_en,
        {{ sql_string(segment.description) }} as description,
        {{ sql_string(segment.owner) }} as owner,
        {{ sql_string(segment.status) }} as status,
        {{ sql_string(segment.type) }} as segment_type,
        {{ sql_string(segment.exclusive_group) if segment.exclusive_group else 'cast(null as string)' }} as exclusive_group,
        {{ segment.priority }} as priority,
        cast({{ sql_string(tojson(segment.rule, sort_keys=true)) }} as {{ engine_type('json') }}) as rule,
        {{ sql_string(segment.condition) if segment.condition else 'cast(null as string)' }} as compiled_condition,
        cast({{ sql_string(tojson(segment.conditions)) }} as {{ engine_type('json') }}) as conditions,
        {{ "date '" ~ segment.frozen_on ~ "'" if segment.frozen_on else 'cast(null as date)' }} as frozen_on,
        {{ sql_string(segment.list) if segment.list else 'cast(null as string)' }} as list_name,
        cast({{ sql_string(tojson(segment.lookalike, sort_keys=true)) }} as {{ engine_type('json') }}) as lookalike,
        cast({{ sql_string(tojson(segment.experiment, sort_keys=true)) }} as {{ engine_type('json') }}) as experiment,
        {{ sql_string(segment.compare_to) if segment.compare_to else 'cast(null as string)' }} as compare_to,
        {{ sql_list(segment.reads_tags) }} as reads_tags,
        {{ sql_string(segment.defined_in) }} as defined_in,
        {{ sql_string('missing list file: ' ~ list_files.missing[segment.list] ~ ' does not exist') if segment.list in list_files.missing else "'ready'" }} as input_status
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as string) as segment_code,
        cast(null as string) as name_zh,
        cast(null as string) as name_en,
        cast(null as string) as description,
        cast(null as string) as owner,
        cast(null as string) as status,
        cast(null as string) as segment_type,
        cast(null as string) as exclusive_group,
        cast(null as integer) as priority,
        cast(null as {{ engine_type('json') }}) as rule,
        cast(null as string) as compiled_condition,
        cast(null as {{ engine_type('json') }}) as conditions,
        cast(null as date) as frozen_on,
        cast(null as string) as list_name,
        cast(null as {{ engine_type('json') }}) as lookalike,
        cast(null as {{ engine_type('json') }}) as experiment,
        cast(null as string) as compare_to,
        {{ sql_list([]) }} as reads_tags,
        cast(null as string) as defined_in,
        cast(null as string) as input_status
    where false
    {%- endfor %}

)

select * from definitions
