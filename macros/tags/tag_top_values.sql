{#-
    Aggregate: the `n` values with the highest `measure` (ties: values in ascending order) among
    the rows where `condition` holds, joined by ',' in rank order. Dispatched per adapter.
-#}
{% macro tag_top_values(value, measure, condition, n) -%}
    {{ return(adapter.dispatch('tag_top_values', 'portrait')(value, measure, condition, n)) }}
{%- endmacro %}

{% macro duckdb__tag_top_values(value, measure, condition, n) -%}
    array_to_string(list({{ value }} order by {{ measure }} desc, {{ value }}) filter (where {{ condition }})[1:{{ n }}], ',')
{%- endmacro %}
