{#-
    SQL of the wide tag table of one entity: one row per entity of its base model, one typed
    column per tag of the given statuses. Tags are fused: every aggregate tag of one source is a
    filtered aggregate of one GROUP BY over that source; all top tags of one source share one
    GROUP BY over its rows repeated once per ranked column; derived tags are expressions over
    those columns. Nothing dated after the as_of day is read.
-#}
{% macro tag_values_wide(entity_name, statuses=['draft', 'active', 'deprecated']) -%}
    {%- set entity = tag_entities()[entity_name] -%}
    {%- set base_relation = ref(entity.base) -%}
    {%- set source_relations = {} -%}
    {%- for name, source in entity.sources.items() -%}
        {%- do source_relations.update({name: ref(source.model)}) -%}
    {%- endfor -%}
    {%- set tags = tag_definitions(entity_name, statuses) -%}
    {%- set aggregate_sources = tags | selectattr('kind', 'equalto', 'aggregate') | map(attribute='source') | unique | sort -%}
    {%- set top_sources = tags | selectattr('kind', 'equalto', 'top') | map(attribute='source') | unique | sort -%}
    {%- for tag in tags if tag.status == 'deprecated' -%}
        {%- for user in tag_definitions(entity_name) if tag.code in user.reads and user.status != 'retired' -%}
            {%- do exceptions.warn("Tag '" ~ tag.code ~ "' is deprecated (use '" ~ tag.replaced_by ~ "') but tag '" ~ user.code ~ "' still reads it") -%}
        {%- endfor -%}
    {%- endfor -%}

with base as (

    select {{ entity.key }} as entity_id, *
    from {{ base_relation }}

),
{%- for source_name in aggregate_sources %}
{%- set source = entity.sources[source_name] %}

source_{{ source_name }} as (

    select
        {{ entity.key }} as entity_id,
        {%- for tag in tags if tag.kind == 'aggregate' and tag.source == source_name %}
        {{ _tag_aggregate(tag, source) }} as {{ tag.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source_relations[source_name] }}
    where {{ entity.key }} is not null and {{ source.date }} <= {{ as_of_date() }}
    group by {{ entity.key }}

),
{%- endfor %}
{%- for source_name in top_sources %}
{%- set source = entity.sources[source_name] %}
{%- set top_tags = tags | selectattr('kind', 'equalto', 'top') | selectattr('source', 'equalto', source_name) | list %}
{%- set top_columns = top_tags | map(attribute='rule') | map(attribute='column') | unique | sort %}

top_grouped_{{ source_name }} as (

    -- Each row once per column a top tag ranks ({{ top_columns | join(', ') }}): one scan.
    select
        {{ entity.key }} as entity_id,
        top_columns.column_index,
        case top_columns.column_index
            {%- for column in top_columns %}
            when {{ loop.index }} then cast({{ column }} as varchar)
            {%- endfor %}
        end as top_value,
        {%- for tag in top_tags %}
        {%- set measure = tag.rule.get('by', 'count') %}
        {{ 'count(*)' if measure == 'count' else 'sum(' ~ measure ~ ')' }}{{ _tag_filter(tag, source) }} as {{ tag.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ source_relations[source_name] }}
    cross join (
        {%- for column in top_columns %}
        select {{ loop.index }} as column_index{{ ' union all' if not loop.last }}
        {%- endfor %}
    ) as top_columns
    where {{ entity.key }} is not null and {{ source.date }} <= {{ as_of_date() }}
    group by {{ entity.key }}, top_columns.column_index, top_value

),

top_{{ source_name }} as (

    select
        entity_id,
        {%- for tag in top_tags %}
        {{ tag_top_values('top_value', tag.code, 'column_index = ' ~ (top_columns.index(tag.rule.column) + 1) ~ ' and top_value is not null and ' ~ tag.code ~ ' > 0', tag.rule.get('n', 1)) }} as {{ tag.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from top_grouped_{{ source_name }}
    group by entity_id

),
{%- endfor %}

computed as (

    select
        base.entity_id
        {%- for tag in tags %}
        {%- if tag.kind == 'aggregate' and tag.rule.type in ['count', 'count_distinct', 'sum'] %},
        coalesce(source_{{ tag.source }}.{{ tag.code }}, 0) as {{ tag.code }}
        {%- elif tag.kind == 'aggregate' and tag.rule.get('default') is not none %},
        coalesce(source_{{ tag.source }}.{{ tag.code }}, {{ _sql_literal(tag.rule.default) }}) as {{ tag.code }}
        {%- elif tag.kind == 'aggregate' %},
        source_{{ tag.source }}.{{ tag.code }}
        {%- elif tag.kind == 'top' %},
        top_{{ tag.source }}.{{ tag.code }}
        {%- elif tag.kind == 'row' %},
        base.{{ tag.rule.column }} as {{ tag.code }}
        {%- endif %}
        {%- endfor %}
    from base
    {%- for source_name in aggregate_sources %}
    left join source_{{ source_name }} on base.entity_id = source_{{ source_name }}.entity_id
    {%- endfor %}
    {%- for source_name in top_sources %}
    left join top_{{ source_name }} on base.entity_id = top_{{ source_name }}.entity_id
    {%- endfor %}

),

typed as (

    select
        entity_id as {{ entity.key }}
        {%- for tag in tags %},
        {%- set expression = _tag_derived(tag) if tag.kind == 'derived' else tag.code %}
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
