{#-
    Aggregate: the `n` values with the highest `order_key` (a sortable expression, e.g. a struct of
    measure and tie-breaking rank) among the rows where `condition` holds, joined by ',' from the
    highest. Dispatched per adapter.
-#}
{% macro tag_top_values(value, order_key, condition, n) -%}
    {{ return(adapter.dispatch('tag_top_values', 'portrait')(value, order_key, condition, n)) }}
{%- endmacro %}

{% macro duckdb__tag_top_values(value, order_key, condition, n) -%}
    array_to_string(arg_max({{ value }}, {{ order_key }}, {{ n }}) filter (where {{ condition }}), ',')
{%- endmacro %}
