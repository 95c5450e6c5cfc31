{#- A YAML scalar as a SQL literal: booleans as true/false, numbers as written, anything else as a quoted string (sql_string). -#}
{% macro sql_literal(value) -%}
    {%- if value is sameas true or value is sameas false -%}
        {{- value | string | lower -}}
    {%- elif value is number -%}
        {{- value -}}
    {%- else -%}
        {{- sql_string(value) -}}
    {%- endif -%}
{%- endmacro %}
