{#- The rows of segment_definitions declared in the YAML file of the model being built. -#}
{% macro segments_defined_here() -%}
    select * from {{ ref('segment_definitions') }}
    where defined_in = {{ sql_string((model.patch_path or '').split('://')[-1]) }}
{%- endmacro %}
