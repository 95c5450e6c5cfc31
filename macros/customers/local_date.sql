{#- The calendar date in var('business_time_zone') of a UTC timestamp (no time zone). -#}
{% macro local_date(expression) -%}
    {{ return(adapter.dispatch('local_date', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__local_date(expression) -%}
    cast(timezone({{ sql_string(var('business_time_zone')) }}, timezone('UTC', {{ expression }})) as date)
{%- endmacro %}

{% macro spark__local_date(expression) -%}
    to_date(from_utc_timestamp({{ expression }}, {{ sql_string(var('business_time_zone')) }}))
{%- endmacro %}
