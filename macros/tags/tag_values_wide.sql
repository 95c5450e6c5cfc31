{#-
    SQL of the wide tag table of one entity: one row per entity of its base model, one typed
    column per tag of the given statuses. Tags are fused by scan (see _validate_tag_rule): the
    aggregate tags of one scan are filtered aggregates of one GROUP BY over its rows; the top
    tags of one scan share one GROUP BY over those rows repeated once per ranked column; derived
    tags are expressions over those columns. Nothing dated after the as_of day is read.
-#}
{#- `as_of` (an ISO date, default var as_of) computes the tags at another day; `kinds` keeps only
    tags of those kinds (and reads only the models they need). -#}
{% macro tag_values_wide(entity_name, statuses=['draft', 'active', 'deprecated'], as_of=none, kinds=none) -%}
    {%- set as_of = as_of or var('as_of') -%}
    {%- set entity = tag_entities()[entity_name] -%}
    {%- set base_relation = ref(entity.base) -%}
    {%- set source_relations = {} -%}
    {%- for name, source in entity.sources.items() -%}
        {%- do source_relations.update({name: ref(source.model)}) -%}
        {%- do source.update({'as_of': as_of}) -%}
    {%- endfor -%}
    {%- set attribute_relations = {} -%}
    {%- for name, model_name in entity.get('attributes', {}).items() if kinds is none or 'row' in kinds -%}
        {%- do attribute_relations.update({name: ref(model_name)}) -%}
    {%- endfor -%}
    {%- set tags = tag_definitions(entity_name, statuses) | selectattr('kind', 'in', kinds or ['aggregate', 'top', 'row', 'derived']) | list -%}
    {%- set aggregate_scans = tags | selectattr('kind', 'equalto', 'aggregate') | map(attribute='scan') | unique | sort -%}
    {%- set top_scans = tags | selectattr('kind', 'equalto', 'top') | map(attribute='scan') | unique | sort -%}
    {%- for tag in tags if tag.status == 'deprecated' -%}
        {%- for user in tag_definitions(entity_name) if tag.code in user.reads and user.status != 'retired' -%}
            {%- do exceptions.warn("Tag '" ~ tag.code ~ "' is deprecated (use '" ~ tag.replaced_by ~ "') but tag '" ~ user.code ~ "' still reads it") -%}
        {%- endfor -%}
    {%- endfor -%}

with base as (

    select
        {{ entity.key }} as entity_id
        {%- for tag in tags if tag.kind == 'row' and tag.source is none %},
        {{ tag.rule.column }} as {{ tag.code }}
        {%- endfor %}
    from {{ base_relation }}

),
{%- for name in tags | selectattr('kind', 'equalto', 'row') | map(attribute='source') | reject('none') | unique | sort %}

attributes_{{ name }} as (

    select
        {{ entity.key }} as entity_id
        {%- for tag in tags if tag.kind == 'row' and tag.source == name %},
        {{ tag.rule.column }} as {{ tag.code }}
        {%- endfor %}
    from {{ attribute_relations[name] }}

),
{%- endfor %}
{%- for scan in aggregate_scans %}
{%- set scan_tags = tags | selectattr('kind', 'equalto', 'aggregate') | selectattr('scan', 'equalto', scan) | list %}
{%- set source = entity.sources[scan_tags[0].source] %}

scan_{{ scan }} as (

    select
        {{ entity.key }} as entity_id,
        {%- for tag in scan_tags %}
        {{ _tag_aggregate(tag, source) }} as {{ tag.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source_relations[scan_tags[0].source] }}
    where {{ entity.key }} is not null and {{ _tag_scan_condition(scan_tags[0], source) }}
    group by {{ entity.key }}

),
{%- endfor %}
{%- for scan in top_scans %}
{%- set top_tags = tags | selectattr('kind', 'equalto', 'top') | selectattr('scan', 'equalto', scan) | list %}
{%- set source = entity.sources[top_tags[0].source] %}
{%- set top_columns = top_tags | map(attribute='rule') | map(attribute='column') | unique | sort %}

top_grouped_{{ scan }} as (

    -- Each row once per column a top tag ranks ({{ top_columns | join(', ') }}): one scan.
    select
        {{ entity.key }} as entity_id,
        top_columns.column_index,
        case top_columns.column_index
            {%- for column in top_columns %}
            when {{ loop.index }} then cast({{ column }} as string)
            {%- endfor %}
        end as top_value,
        {%- for tag in top_tags %}
        {%- set measure = tag.rule.get('by', 'count') %}
        {{ 'count(*)' if measure == 'count' else 'sum(' ~ measure ~ ')' }}{{ _tag_filter(tag, source) }} as {{ tag.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source_relations[top_tags[0].source] }}
    cross join (
        {%- for column in top_columns %}
        select {{ loop.index }} as column_index{{ ' union all' if not loop.last }}
        {%- endfor %}
    ) as top_columns
    where {{ entity.key }} is not null and {{ _tag_scan_condition(top_tags[0], source) }}
    group by {{ entity.key }}, top_columns.column_index, top_value

),

top_{{ scan }} as (

    select
        entity_id,
        {%- for tag in top_tags %}
        {{ tag_top_values('top_value', tag.code, 'column_index = ' ~ (top_columns.index(tag.rule.column) + 1) ~ ' and top_value is not null and ' ~ tag.code ~ ' > 0', tag.rule.get('n', 1)) }} as {{ tag.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from top_grouped_{{ scan }}
    group by entity_id

),
{%- endfor %}

computed as (

    select
        base.entity_id
        {%- for tag in tags %}
        {%- if tag.kind == 'aggregate' and tag.rule.type in ['count', 'count_distinct', 'sum'] %},
        coalesce(scan_{{ tag.scan }}.{{ tag.code }}, 0) as {{ tag.code }}
        {%- elif tag.kind == 'aggregate' and tag.rule.get('default') is not none %},
        coalesce(scan_{{ tag.scan }}.{{ tag.code }}, {{ sql_literal(tag.rule.default) }}) as {{ tag.code }}
        {%- elif tag.kind == 'aggregate' %},
        scan_{{ tag.scan }}.{{ tag.code }}
        {%- elif tag.kind == 'top' %},
        top_{{ tag.scan }}.{{ tag.code }}
        {%- elif tag.kind == 'row' %},
        {{ 'attributes_' ~ tag.source if tag.source else 'base' }}.{{ tag.code }}
        {%- endif %}
        {%- endfor %}
    from base
    {%- for scan in aggregate_scans %}
    left join scan_{{ scan }} on base.entity_id = scan_{{ scan }}.entity_id
    {%- endfor %}
    {%- for scan in top_scans %}
    left join top_{{ scan }} on base.entity_id = top_{{ scan }}.entity_id
    {%- endfor %}
    {%- for name in tags | selectattr('kind', 'equalto', 'row') | map(attribute='source') | reject('none') | unique | sort %}
    left join attributes_{{ name }} on base.entity_id = attributes_{{ name }}.entity_id
    {%- endfor %}

),

typed as (

    select
        entity_id as {{ entity.key }}
        {%- for tag in tags %},
        {%- set expression = _tag_derived(tag, as_of) if tag.kind == 'derived' else tag.code %}
        {%- if tag.rule.type == 'passthrough' and tag.value_type == 'number' %}
        {{ expression }} as {{ tag.code }}
        {%- elif tag.rule.type == 'imported' %}
        try_cast({{ expression }} as {{ tag.sql_type }}) as {{ tag.code }}
        {%- else %}
        cast({{ expression }} as {{ tag.sql_type }}) as {{ tag.code }}
        {%- endif %}
        {%- endfor %}
    from computed

)

select * from typed
{%- endmacro %}
