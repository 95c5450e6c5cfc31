{#- A Python string as a single-quoted SQL literal. -#}
{% macro _sql_string(value) -%}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}
