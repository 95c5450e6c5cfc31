{#- A list of strings as a SQL list literal of varchar (an empty list when none). -#}
{% macro sql_list(values) -%}
    {%- if not values -%}
        cast([] as varchar[])
    {%- else -%}
        [{% for value in values %}{{ sql_string(value) }}{{ ', ' if not loop.last }}{% endfor %}]
    {%- endif -%}
{%- endmacro %}
