{#-
    One Parquet file (its [name, type] columns read by _raw_prepared_file) as contract columns:
    each column read by its type (_raw_value_as_text, so a time-zone-aware timestamp stays an
    instant and a whole-number double phone keeps its digits); absent contract columns are null;
    column names match case-insensitively. _source_row is the row's position in the file
    (1-based); `file_reason`, when given, marks every row malformed.
-#}
{% macro _raw_parquet_select(file, prepared, columns, file_reason=none) -%}
    {{ return(adapter.dispatch('_raw_parquet_select', 'portrait')(file, prepared, columns, file_reason)) }}
{%- endmacro %}

{% macro default___raw_parquet_select(file, prepared, columns, file_reason=none) -%}
    {%- set present = {} -%}
    {%- for name, data_type in prepared.columns -%}
        {%- do present.update({name | lower: {'name': name, 'type': data_type}}) -%}
    {%- endfor -%}
    select
        {%- for column in columns %}
        {% if column in present and not file_reason -%}
            {{ _raw_value_as_text(adapter.quote(present[column].name), present[column].type) }}
        {%- else -%}
            null::varchar
        {%- endif %} as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        file_row_number + 1 as _source_row,
        null::varchar as _raw_line,
        {{ sql_string(file_reason) if file_reason else 'null::varchar' }} as _malformed_reason
    from read_parquet({{ sql_string(file) }}, file_row_number = true)
{%- endmacro %}

{#- Spark: the same rows; _source_row from the Parquet reader's _metadata.row_index. -#}
{% macro spark___raw_parquet_select(file, prepared, columns, file_reason=none) -%}
    {%- set present = {} -%}
    {%- for name, data_type in prepared.columns -%}
        {%- do present.update({name | lower: {'name': name, 'type': data_type}}) -%}
    {%- endfor -%}
    select
        {%- for column in columns %}
        {% if column in present and not file_reason -%}
            {{ _raw_value_as_text(adapter.quote(present[column].name), present[column].type) }}
        {%- else -%}
            cast(null as string)
        {%- endif %} as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        _metadata.row_index + 1 as _source_row,
        cast(null as string) as _raw_line,
        {{ sql_string(file_reason) if file_reason else 'cast(null as string)' }} as _malformed_reason
    from parquet.{{ _raw_spark_path(prepared.read_path) }}
{%- endmacro %}
