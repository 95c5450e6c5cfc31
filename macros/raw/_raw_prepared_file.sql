{#-
    How the landing step reads a raw file: {format, read_path, encoding, multiline, columns,
    error} from the SQL function portrait_prepare_raw_file (registered by
    portrait/duckdb_plugin.py; see portrait/raw_files.py). read_path is the file itself when it is
    plain UTF-8 or Parquet, else its UTF-8 copy; columns are the CSV header's names, the JSON keys
    seen, or Parquet's [name, type] pairs; error says why the file cannot be read. Before
    execution (parsing) the file is described as it is.
-#}
{% macro _raw_prepared_file(file) -%}
    {%- if not execute -%}
        {{ return({'format': 'csv', 'read_path': file, 'encoding': 'utf-8', 'multiline': false, 'columns': [], 'error': none}) }}
    {%- endif -%}
    {%- set result = run_query('select portrait_prepare_raw_file(' ~ sql_string(file) ~ ')') -%}
    {{ return(fromjson(result.columns[0].values()[0])) }}
{%- endmacro %}
