{#-
    on-run-start hook: SQL functions of DuckDB's that definitions written as SQL text (the source
    registry's event columns in dbt_project.yml, tag rules of type sql) may call, defined on engines
    that lack them, for the run: on Spark json_extract_string(json, path) (get_json_object) and
    isfinite(x) (neither NaN nor infinite; null for null). DuckDB
    has them all: nothing to do.
-#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'portrait')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
    select 1
{%- endmacro %}

{% macro spark__create_engine_functions() -%}
    {%- if execute -%}
        {%- do run_query("create or replace temporary function isfinite(x double) returns boolean"
            ~ " return not (isnan(x) or abs(x) = double('infinity'))") -%}
    {%- endif %}
    create or replace temporary function json_extract_string(json string, path string)
    returns string return get_json_object(json, path)
{%- endmacro %}
