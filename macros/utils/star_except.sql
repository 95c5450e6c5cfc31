{#- Every column of the relation in scope except the named ones. -#}
{% macro star_except(columns) -%}
    {{ return(adapter.dispatch('star_except', 'portrait')(columns)) }}
{%- endmacro %}

{% macro duckdb__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}
