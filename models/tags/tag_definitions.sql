{#-
    Every tag definition of models/tags/definitions/*.yml, validated, one row per tag (retired
    ones included), with what the engine derived from it: method, the model it reads, the tags it
    reads and a fingerprint of its normalised rule (tag_governance finds identical definitions by it).
-#}
{%- set tags = tag_definitions() -%}
{%- set columns = {
    'tag_code': 'varchar', 'name_zh': 'varchar', 'name_en': 'varchar', 'description': 'varchar',
    'category': 'varchar', 'entity': 'varchar', 'value_type': 'varchar', 'enum_values': 'varchar[]',
    'method': 'varchar', 'rule_type': 'varchar', 'rule': 'json', 'source': 'varchar', 'source_model': 'varchar',
    'time_window': 'varchar', 'reads_tags': 'varchar[]', 'owner': 'varchar', 'refresh': 'varchar',
    'status': 'varchar', 'replaced_by': 'varchar', 'sensitivity': 'varchar', 'allowed_uses': 'varchar[]',
    'track_history': 'boolean', 'model_card': 'varchar', 'defined_in': 'varchar', 'definition_fingerprint': 'varchar',
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
        cast({{ sql_string(tojson(tag.rule, sort_keys=true)) }} as json) as rule,
        {{ sql_string(tag.source) if tag.source else 'cast(null as varchar)' }} as source,
        {{ sql_string(tag.source_model) }} as source_model,
        {{ sql_string(tag.window.label if tag.window else 'all') if tag.kind in ['aggregate', 'top'] else 'cast(null as varchar)' }} as time_window,
        {{ sql_list(tag.reads) }} as reads_tags,
        {{ sql_string(tag.owner) }} as owner,
        {{ sql_string(tag.refresh) }} as refresh,
        {{ sql_string(tag.status) }} as status,
        {{ sql_string(tag.replaced_by) if tag.replaced_by else 'cast(null as varchar)' }} as replaced_by,
        {{ sql_string(tag.sensitivity) }} as sensitivity,
        {{ sql_list(tag.allowed_uses) }} as allowed_uses,
        {{ tag.track_history | string | lower }} as track_history,
        {{ sql_string(tag.model_card | trim) if tag.get('model_card') else 'cast(null as varchar)' }} as model_card,
        {{ sql_string(tag.defined_in) }} as defined_in,
        md5({{ sql_string(tojson(normalised, sort_keys=true)) }}) as definition_fingerprint
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        {%- for column, type in columns.items() %}
        cast(null as {{ type }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    where false
    {%- endfor %}

)

select * from definitions
