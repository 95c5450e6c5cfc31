{#-
    How the landing step reads a raw text file: {read_path, encoding, multiline} from the SQL
    function portrait_prepare_raw_file (registered by portrait/duckdb_plugin.py; see
    portrait/raw_files.py). read_path is the file itself when it is plain UTF-8, else its UTF-8
    copy; multiline is true when a quoted value may span lines. Before execution (parsing) the
    file is described as it is.
-#}
{% macro _raw_prepared_file(file) -%}
    {%- if not execute -%}
        {{ return({'read_path': file, 'encoding': 'utf-8', 'multiline': false}) }}
    {%- endif -%}
    {%- set result = run_query('select portrait_prepare_raw_file(' ~ _sql_string(file) ~ ')') -%}
    {{ return(fromjson(result.columns[0].values()[0])) }}
{%- endmacro %}
