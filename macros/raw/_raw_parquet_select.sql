{#-
    One Parquet file (its [name, type] columns read by _raw_prepared_file) as contract columns:
    each column read by its type (_raw_value_as_text, so a time-zone-aware timestamp stays an
    instant and a whole-number double phone keeps its digits); absent contract columns are null;
    column names match case-insensitively. _source_row is the row's position in the file
    (1-based); `file_reason`, when given, marks every row malformed.
-#}
{% macro _raw_parquet_select(file, prepared, columns, file_reason=none) -%}
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
        {{ _raw_parquet_row_index() }} + 1 as _source_row,
        cast(null as string) as _raw_line,
        {{ sql_string(file_reason) if file_reason else 'cast(null as string)' }} as _malformed_reason
    from {{ _raw_parquet_scan(file, prepared) }}
{%- endmacro %}

{#- The rows of one Parquet file (a relation), with the 0-based row index _raw_parquet_row_index names. -#}
{% macro _raw_parquet_scan(file, prepared) -%}
    {{ return(adapter.dispatch('_raw_parquet_scan', 'portrait')(file, prepared)) }}
{%- endmacro %}

{% macro default___raw_parquet_scan(file, prepared) -%}
    read_parquet({{ sql_string(file) }}, file_row_number = true)
{%- endmacro %}

{% macro spark___raw_parquet_scan(file, prepared) -%}
    parquet.{{ _raw_spark_path(prepared.read_path) }}
{%- endmacro %}

{#- SQL: the 0-based position of a row in the file _raw_parquet_scan reads. -#}
{% macro _raw_parquet_row_index() -%}
    {{ return(adapter.dispatch('_raw_parquet_row_index', 'portrait')()) }}
{%- endmacro %}

{% macro default___raw_parquet_row_index() -%}
    file_row_number
{%- endmacro %}

{% macro spark___raw_parquet_row_index() -%}
    _metadata.row_index
{%- endmacro %}
