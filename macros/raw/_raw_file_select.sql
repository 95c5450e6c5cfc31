{#-
    One raw file as the contract columns of its source plus lineage (see land_raw_sources), read
    by its format as `prepared` describes it (_raw_prepared_file on DuckDB, portrait/spark_landing.py
    on Spark: its format, UTF-8 read path, columns, or why it cannot be read).
    - A file that cannot be read at all is one quarantined row (_raw_unreadable_select).
    - A file whose columns match none of the contract's (a header in Chinese, tab-separated text)
      is read, but every row of it is malformed ('no_contract_columns'), with a warning naming the
      file and its columns: its rows are never read as empty records.
-#}
{% macro _raw_file_select(file, prepared, columns) -%}
    {%- set present = (prepared.columns | map('first') | list) if prepared.format == 'parquet' else prepared.columns -%}
    {%- set file_reason = none -%}
    {%- if execute and present and not (columns | select('in', present | map('lower') | list) | list) -%}
        {%- do exceptions.warn("Raw file '" ~ file ~ "': none of its columns (" ~ present | join(', ')
            ~ ") is a contract column (" ~ columns | join(', ') ~ "); every row of it is quarantined as malformed_line_no_contract_columns.") -%}
        {%- set file_reason = 'no_contract_columns' -%}
    {%- endif -%}
    {%- if prepared.error -%}
        {{ return(_raw_unreadable_select(file, columns, prepared.error)) }}
    {%- elif prepared.format == 'csv' -%}
        {{ return(_raw_csv_select(file, prepared, columns, file_reason)) }}
    {%- elif prepared.format == 'jsonl' -%}
        {{ return(_raw_jsonl_select(file, prepared, columns, file_reason)) }}
    {%- else -%}
        {{ return(_raw_parquet_select(file, prepared, columns, file_reason)) }}
    {%- endif -%}
{%- endmacro %}
