{#-
    The delete+insert incremental strategy on Spark's Parquet tables, which have no DELETE or
    MERGE. Portrait's registries and histories (identity_one_ids, tag_history, segment sizes and
    membership history) keep state between runs with delete+insert on a unique key, as dbt-duckdb
    does: rows of the target whose key is among the new rows are replaced by them. On Spark the
    new state is written to a side table (<target>__dbt_state: the target's rows without those
    keys, then the new rows; a table, because the new rows are a view that may read the target),
    copied over the target with INSERT OVERWRITE, and the side table dropped.
    These two macros override dbt-spark's of the same name (the root project's macros come first)
    and hand every other strategy to dbt-spark's own.
-#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy == 'delete+insert' -%}
        {%- if not config.get('unique_key') -%}
            {{ exceptions.raise_compiler_error("incremental_strategy 'delete+insert' needs a unique_key (model " ~ model.name ~ ")") }}
        {%- endif -%}
        {{ return(raw_strategy) }}
    {%- endif -%}
    {{ return(dbt.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) }}
{% endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy != 'delete+insert' -%}
        {{ return(dbt.dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates)) }}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set state = target.incorporate(path={'identifier': target.identifier ~ '__dbt_state'}) -%}
    {%- do run_query('drop table if exists ' ~ state) -%}
    {%- call statement('delete_insert_state') -%}
        create table {{ state }} using parquet as
        select {{ columns }}
        from {{ target }} as _target
        where not exists (
            select 1 from {{ source }} as _new
            where {% for key in keys %}_new.{{ key }} = _target.{{ key }}{{ ' and ' if not loop.last }}{% endfor %}
        )
        union all
        select {{ columns }} from {{ source }}
    {%- endcall -%}
    {%- call statement('delete_insert_overwrite') -%}
        insert overwrite table {{ target }} select {{ columns }} from {{ state }}
    {%- endcall -%}
    {{ return('drop table if exists ' ~ state) }}
{% endmacro %}
