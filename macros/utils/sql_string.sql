{#- A Python string as a single-quoted SQL literal. -#}
{% macro sql_string(value) -%}
    {{ return("'" ~ (value | string).replace("'", "''") ~ "'") }}
{%- endmacro %}
