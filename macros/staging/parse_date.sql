{#- A raw calendar date (2024-03-05, 2024/03/05, 20240305) as a date, or null. -#}
{% macro parse_date(expression) -%}
    {{ return(adapter.dispatch('parse_date', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_date(expression) -%}
    cast(try_strptime({{ clean_text(expression) }}, ['%Y-%m-%d', '%Y/%m/%d', '%Y%m%d']) as date)
{%- endmacro %}

{% macro spark__parse_date(expression) -%}
    {%- set text = clean_text(expression) -%}
    coalesce(
        try_to_date({{ text }}, 'yyyy-M-d'), try_to_date({{ text }}, 'yyyy/M/d'), try_to_date({{ text }}, 'yyyyMMdd')
    )
{%- endmacro %}
