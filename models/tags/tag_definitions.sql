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
        {{ _sql_string(tag.code) }} as tag_code,
        {{ _sql_string(tag.name_zh) }} as name_zh,
        {{ _sql_string(tag.name_en) }} as name_en,
        {{ _sql_string(tag.description) }} as description,
        {{ _sql_string(tag.category) }} as category,
        {{ _sql_string(tag.entity) }} as entity,
        {{ _sql_string(tag.value_type) }} as value_type,
        {{ _sql_list(tag['values']) }} as enum_values,
        {{ _sql_string(tag.method) }} as method,
        {{ _sql_string(tag.rule.type) }} as rule_type,
        cast({{ _sql_string(tojson(tag.rule, sort_keys=true)) }} as json) as rule,
        {{ _sql_string(tag.source) if tag.source else 'null' }} as source,
        {{ _sql_string(tag.source_model) }} as source_model,
        {{ _sql_string(tag.window.label if tag.window else 'all') if tag.kind in ['aggregate', 'top'] else 'null' }} as time_window,
        {{ _sql_list(tag.reads) }} as reads_tags,
        {{ _sql_string(tag.owner) }} as owner,
        {{ _sql_string(tag.refresh) }} as refresh,
        {{ _sql_string(tag.status) }} as status,
        {{ _sql_string(tag.replaced_by) if tag.replaced_by else 'null' }} as replaced_by,
        {{ _sql_string(tag.sensitivity) }} as sensitivity,
        {{ _sql_list(tag.allowed_uses) }} as allowed_uses,
        {{ tag.track_history | string | lower }} as track_history,
        {{ _sql_string(tag.model_card | trim) if tag.get('model_card') else 'null' }} as model_card,
        {{ _sql_string(tag.defined_in) }} as defined_in,
        md5({{ _sql_string(tojson(normalised, sort_keys=true)) }}) as definition_fingerprint
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
