{#- The folder holding one sub-folder per raw source: $PORTRAIT_RAW_DIR, default the demo data. -#}
{% macro raw_directory() -%}
    {{ return(env_var('PORTRAIT_RAW_DIR', 'data/demo/raw').rstrip('/')) }}
{%- endmacro %}
