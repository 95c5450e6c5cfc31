{#- The rows of tag_definitions declared in the YAML file of the model being built. -#}
{% macro tags_defined_here() -%}
    select * from {{ ref('tag_definitions') }}
    where defined_in = {{ sql_string((model.patch_path or '').split('://')[-1]) }}
{%- endmacro %}
