{#-
    Aggregate: the `n` values with the highest `measure` among the rows where `condition` holds
    (ties: the value first in alphabetical order), joined by ',' from the highest. Dispatched per
    adapter.
-#}
{% macro tag_top_values(value, measure, condition, n) -%}
    {{ return(adapter.dispatch('tag_top_values', 'portrait')(value, measure, condition, n)) }}
{%- endmacro %}

{% macro duckdb__tag_top_values(value, measure, condition, n) -%}
    array_to_string(arg_min({{ value }}, (-{{ measure }}, {{ value }}), {{ n }}) filter (where {{ condition }}), ',')
{%- endmacro %}

{#- Spark: null, as on DuckDB, when no row holds (array_join of an empty list would be ''). -#}
{% macro spark__tag_top_values(value, measure, condition, n) -%}
    case when count(*) filter (where {{ condition }}) > 0 then array_join(slice(transform(
        sort_array(collect_list(struct(-{{ measure }} as _order, {{ value }} as _value)) filter (where {{ condition }})),
        _pair -> _pair._value
    ), 1, {{ n }}), ',') end
{%- endmacro %}
