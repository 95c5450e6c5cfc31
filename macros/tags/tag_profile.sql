{#-
    The wide profile of an entity: its key and one typed column per active or deprecated tag
    (deprecated tags stay until they are retired, so readers have time to move). What segments
    and exports read.
-#}
{% macro tag_profile(entity_name) -%}
    {%- set entity = tag_entities()[entity_name] -%}
    select
        {{ entity.key }}
        {%- for tag in tag_definitions(entity_name, ['active', 'deprecated']) %},
        {{ tag.code }}
        {%- endfor %}
    from {{ ref('int_' ~ entity_name ~ '_tags') }}
{%- endmacro %}
