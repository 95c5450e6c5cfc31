{#- The `as_of` var as a SQL date: the calendar day (business time zone) ages and windows are computed at. -#}
{% macro as_of_date() -%}
    cast({{ sql_string(var('as_of')) }} as date)
{%- endmacro %}
