{#-
    Whole days from `start` to `end` (dates or timestamps; calendar-day boundaries crossed, so
    23:00 to 01:00 the next day is 1), a bigint; null when either is null. dbt.datediff is not used: on
    Spark it raises an error on a null date.
-#}
{% macro days_between(start, end) -%}
    {{ return(adapter.dispatch('days_between', 'portrait')(start, end)) }}
{%- endmacro %}

{% macro duckdb__days_between(start, end) -%}
    date_diff('day', {{ start }}, {{ end }})
{%- endmacro %}

{#- Spark's datediff gives an int: cast to bigint, DuckDB's type, so contracts read the same. -#}
{% macro spark__days_between(start, end) -%}
    cast(datediff({{ end }}, {{ start }}) as bigint)
{%- endmacro %}
