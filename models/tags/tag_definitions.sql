{#-
    Every tag definition of models/tags/definitions/*.yml, validated, one row per tag (retired
    ones included), with what the engine derived from it: method, the model it reads, the tags it
    reads and a fingerprint of its normalised rule (tag_governance finds identical definitions by it).
-#}
{%- set tags = tag_definitions() -%}
{%- set columns = {
    'tag_code': 'string', 'name_zh': 'string', 'name_en': 'string', 'description': 'string',
    'category': 'string', 'entity': 'string', 'value_type': 'string', 'enum_values': 'string[]',
    'method': 'string', 'rule_type': 'string', 'rule': 'json', 'source': 'string', 'source_model': 'string',
    'time_window': 'string', 'reads_tags': 'string[]', 'owner': 'string', 'refresh': 'string',
    'status': 'string', 'replaced_by': 'string', 'sensitivity': 'string', 'allowed_uses': 'string[]',
    'track_history': 'boolean', 'model_card': 'string', 'defined_in': 'string', 'definition_fingerprint': 'string',
} -%}

with definitions as (

    {%- for tag in tags %}
    {%- set normalised = {'entity': tag.entity, 'source': tag.source, 'window': tag.window, 'rule': tag.rule} %}
    select
        {{ sql_string(tag.code) }} as tag_code,
        {{ sql_string(tag.name_zh) }} as name_zh,
        {{ sql_string(tag.name_en) }} as name_en,
        {{ sql_string(tag.description) }} as description,
        {{ sql_string(tag.category) }} as category,
        {{ sql_string(tag.entity) }} as entity,
        {{ sql_string(tag.value_type) }} as value_type,
        {{ sql_list(tag['values']) }} as enum_values,
        {{ sql_string(tag.method) }} as method,
        {{ sql_string(tag.rule.type) }} as rule_type,
        cast({{ sql_string(tojson(tag.rule, sort_keys=true)) }} as {{ engine_type('json') }}) as rule,
        {{ sql_string(tag.source) if tag.source else 'cast(null as string)' }} as source,
        {{ sql_string(tag.source_model) }} as source_model,
        {{ sql_string(tag.window.label if tag.window else 'all') if tag.kind in ['aggregate', 'top'] else 'cast(null as string)' }} as time_window,
        {{ sql_list(tag.reads) }} as reads_tags,
        {{ sql_string(tag.owner) }} as owner,
        {{ sql_string(tag.refresh) }} as refresh,
        {{ sql_string(tag.status) }} as status,
        {{ sql_string(tag.replaced_by) if tag.replaced_by else 'cast(null as string)' }} as replaced_by,
        {{ sql_string(tag.sensitivity) }} as sensitivity,
        {{ sql_list(tag.allowed_uses) }} as allowed_uses,
        {{ tag.track_history | string | lower }} as track_history,
        {{ sql_string(tag.model_card | trim) if tag.get('model_card') else 'cast(null as string)' }} as model_card,
        {{ sql_string(tag.defined_in) }} as defined_in,
        md5({{ sql_string(tojson(normalised, sort_keys=true)) }}) as definition_fingerprint
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        {%- for column, type in columns.items() %}
        cast(null as {{ engine_type(type) }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false
    {%- endfor %}

)

select * from definitions
