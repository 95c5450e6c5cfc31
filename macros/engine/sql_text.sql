{#-
    SQL text written in DuckDB's dialect by a definition (a tag rule of type sql), in the engine's
    dialect. DuckDB: as written. Spark: date_diff/datediff/date_part units spelled as DuckDB's
    string literals ('day') become Spark's bare unit keywords (day); Spark's timestampdiff counts
    whole units, which for dates (the definitions' use) equals DuckDB's count of boundaries.
-#}
{% macro engine_sql_text(expression) -%}
    {{ return(adapter.dispatch('engine_sql_text', 'portrait')(expression | string)) }}
{%- endmacro %}

{% macro default__engine_sql_text(expression) -%}
    {{ return(expression) }}
{%- endmacro %}

{% macro spark__engine_sql_text(expression) -%}
    {{ return(modules.re.sub("(?i)\\b(date_diff|datediff)\\s*\\(\\s*'([a-z]+)'\\s*,", "\\1(\\2,", expression)) }}
{%- endmacro %}
