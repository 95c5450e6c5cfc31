{#-
    Aggregate: the value of `column` on the first (or last) row ordered by `order_columns`.
    Dispatched per adapter.
-#}
{% macro tag_ordered_value(column, order_columns, last) -%}
    {{ return(adapter.dispatch('tag_ordered_value', 'portrait')(column, order_columns, last)) }}
{%- endmacro %}

{% macro duckdb__tag_ordered_value(column, order_columns, last) -%}
    {{ 'arg_max' if last else 'arg_min' }}({{ column }}, ({{ order_columns | join(', ') }}))
{%- endmacro %}

{% macro spark__tag_ordered_value(column, order_columns, last) -%}
    {{ 'max_by' if last else 'min_by' }}({{ column }}, struct({{ order_columns | join(', ') }}))
{%- endmacro %}
