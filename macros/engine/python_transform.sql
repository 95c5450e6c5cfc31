{#-
    The rows of `relation` (SQL of a query) through the Python function of a dbt Python model, on
    an engine that cannot run dbt Python models (Spark: dbt-spark runs them on Databricks only).
    Spark runs `$PORTRAIT_PYTHON -m portrait.spark_models.<module>` as a script transformation
    (the Python must import portrait) on ONE task: its first input row carries `params` (SQL giving
    JSON text: the model's config and one-row inputs), then come the rows of `columns` of
    `relation` in `order_by` order (the order the DuckDB model reads them in, so a fit sees the same
    data in the same order; a key need not be one of `columns`). Rows are tab-separated text lines both ways, nulls written \N
    (ROW FORMAT DELIMITED: without it a Hive session would use a SerDe that refuses timestamp_ntz);
    a text value must hold no tab or line break. `outputs` declares the columns the module writes
    ("name type, ..."). The first row also makes the script run when `relation` is empty (Spark
    skips an empty partition): a fit of nothing still says "not fitted".
    portrait/spark_models/__init__.py reads and writes this framing.
-#}
{% macro python_transform(module, params, relation, columns, order_by, outputs) -%}
    {{ return(adapter.dispatch('python_transform', 'portrait')(module, params, relation, columns, order_by, outputs)) }}
{%- endmacro %}

{% macro default__python_transform(module, params, relation, columns, order_by, outputs) -%}
    {#- dbt parses the disabled Spark twins too: only running one is an error -#}
    {%- if execute -%}{{ exceptions.raise_compiler_error("python_transform is for engines without dbt Python models (Spark); "
        ~ target.type ~ " runs the Python model itself") }}{%- endif -%}
{%- endmacro %}

{% macro spark__python_transform(module, params, relation, columns, order_by, outputs) -%}
    {%- set command = env_var('PORTRAIT_PYTHON', 'python3') ~ ' -m portrait.spark_models.' ~ module -%}
    {%- set row_format = "row format delimited fields terminated by '\\t' lines terminated by '\\n'" -%}
    {%- set framed = columns + (order_by | reject('in', columns) | list) %}
    select transform(row_kind, params{% for column in columns %}, {{ column }}{% endfor %})
        {{ row_format }}
        using {{ sql_string(command) }}
        as ({{ outputs }})
        {{ row_format }}
    from (
        select /*+ REPARTITION(1) */ *
        from (
            select 0 as row_kind, {{ params }} as params{% for column in framed %}, null as {{ column }}{% endfor %}
            union all
            select 1 as row_kind, cast(null as string) as params{% for column in framed %}, {{ column }}{% endfor %}
            from ({{ relation }}) as transform_input
        ) as framed
        sort by row_kind{% for key in order_by %}, {{ key }}{% endfor %}
    ) as one_task
{%- endmacro %}
