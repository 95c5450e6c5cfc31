{#-
    The long form of an entity's computed tags: one row per (entity, tag) with a value, the
    value as text (whole numbers without a decimal part), for catalogues, history and lookups.
-#}
{% macro tag_values_long(entity_name) -%}
    {%- set entity = tag_entities()[entity_name] -%}
    {%- set tags = tag_definitions(entity_name, ['draft', 'active', 'deprecated']) -%}
    with tags as (

        select * from {{ ref('int_' ~ entity_name ~ '_tags') }}

    ),

    as_text as (

        select
            {{ entity.key }}
            {%- for tag in tags %},
            {%- if tag.value_type == 'number' %}
            case
                when {{ tag.code }} = floor({{ tag.code }}) and abs({{ tag.code }}) < 1e15
                    then cast(cast({{ tag.code }} as bigint) as string)
                else cast(round({{ tag.code }}, 6) as string)
            end as {{ tag.code }}
            {%- else %}
            cast({{ tag.code }} as string) as {{ tag.code }}
            {%- endif %}
            {%- endfor %}
        from tags

    ),

    long as (

        {%- if tags %}
        select
            {{ entity.key }},
            tag_code,
            tag_value
        from as_text
        unpivot (tag_value for tag_code in ({{ tags | map(attribute='code') | join(', ') }}))
        {%- else %}
        select
            cast(null as string) as {{ entity.key }},
            cast(null as string) as tag_code,
            cast(null as string) as tag_value
        where false
        {%- endif %}

    )

    select * from long
{%- endmacro %}
