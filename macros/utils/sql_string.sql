{#-
    A Python string as a SQL string literal that reads back as the same characters.
    DuckDB: single quotes, a quote doubled. Spark (string literals read with
    spark.sql.parser.escapedStringLiterals, so a backslash is itself): a quote cannot be escaped
    inside a literal, so text holding one is joined from pieces with chr(39).
-#}
{% macro sql_string(value) -%}
    {{ return(adapter.dispatch('sql_string', 'portrait')(value | string)) }}
{%- endmacro %}

{% macro default__sql_string(value) -%}
    {{ return("'" ~ value.replace("'", "''") ~ "'") }}
{%- endmacro %}

{% macro spark__sql_string(value) -%}
    {%- if "'" not in value -%}
        {{ return("'" ~ value ~ "'") }}
    {%- endif -%}
    {%- set pieces = [] -%}
    {%- for piece in value.split("'") -%}
        {%- do pieces.append("'" ~ piece ~ "'") -%}
    {%- endfor -%}
    {{ return("concat(" ~ pieces | join(", chr(39), ") ~ ")") }}
{%- endmacro %}
