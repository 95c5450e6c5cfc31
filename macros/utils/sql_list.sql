{#- A list of strings as a SQL array literal of strings (an empty array when none). -#}
{% macro sql_list(values) -%}
    {{ return(adapter.dispatch('sql_list', 'portrait')(values)) }}
{%- endmacro %}

{% macro default__sql_list(values) -%}
    {%- if not values -%}
        cast([] as string[])
    {%- else -%}
        [{% for value in values %}{{ sql_string(value) }}{{ ', ' if not loop.last }}{% endfor %}]
    {%- endif -%}
{%- endmacro %}

{% macro spark__sql_list(values) -%}
    {%- if not values -%}
        cast(array() as array<string>)
    {%- else -%}
        array({% for value in values %}{{ sql_string(value) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}
