{#-
    The files under a source folder, sub-folders included, sorted by path, as [path, format]
    pairs (format 'csv', 'jsonl', 'parquet', or none for a file of another kind); an empty list
    when the folder is missing. Listed by portrait_raw_files (portrait/raw_files.py).
-#}
{% macro _raw_files(folder) %}
    {%- set result = run_query("select portrait_raw_files(" ~ sql_string(folder) ~ ")") -%}
    {{ return(fromjson(result.columns[0].values()[0])) }}
{% endmacro %}
