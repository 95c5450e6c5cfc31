{#- Aggregates spelled differently per engine. -#}

{#- The median of `expression` (interpolated between the two middle values). -#}
{% macro median_of(expression) -%}
    {{ return(adapter.dispatch('median_of', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__median_of(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{% macro spark__median_of(expression) -%}
    median({{ expression }})
{%- endmacro %}

{#-
    The sum of a double column with as little rounding as the engine offers: DuckDB's fsum
    (compensated, so the result does not depend on the order rows arrive in); Spark's sum.
-#}
{% macro float_sum(expression) -%}
    {{ return(adapter.dispatch('float_sum', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__float_sum(expression) -%}
    fsum({{ expression }})
{%- endmacro %}

{% macro spark__float_sum(expression) -%}
    sum({{ expression }})
{%- endmacro %}
