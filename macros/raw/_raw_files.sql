{#- The data files directly inside a folder, sorted; an empty list when the folder is missing. -#}
{% macro _raw_files(folder) %}
    {%- set result = run_query("select file from glob(" ~ _sql_string(folder ~ '/*') ~ ") order by file") -%}
    {{ return(result.columns[0].values() | list) }}
{% endmacro %}
