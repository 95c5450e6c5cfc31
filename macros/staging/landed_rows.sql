{#-
    The rows of a landed raw table (land_raw_sources) a base staging model reads: every row in a
    full build; in an incremental run only the rows of file versions (`_landing_id`) the model
    has not processed yet. validate_rows adds back the earlier rows whose status those can change.
-#}
{% macro landed_rows(relation) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
    where _landing_id not in (select distinct _landing_id from {{ this }})
    {%- endif %}
{%- endmacro %}

{#-
    The materialization of the base staging models: 'incremental' with the landed_rows strategy
    where the engine deletes rows from tables (DuckDB); 'table', rebuilt from every landed row in
    each build, where it cannot (Spark's Parquet tables have no DELETE).
-#}
{% macro base_materialization() -%}
    {{ return(adapter.dispatch('base_materialization', 'portrait')()) }}
{%- endmacro %}

{% macro duckdb__base_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro default__base_materialization() -%}
    {{ return('table') }}
{%- endmacro %}
