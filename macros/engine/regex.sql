{#-
    Regular expressions the same on every engine. Patterns are written once, RE2 style (DuckDB)
    and read by Java's engine on Spark: the two agree on the classes used here (\d, \s, [\x{...}],
    (?i), (?:...)). String literals keep backslashes as written on both (Spark's profile sets
    spark.sql.parser.escapedStringLiterals).
-#}

{#- true when the whole of `text` matches `pattern`; null when text is null. -#}
{% macro regex_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match', 'portrait')(text, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_full_match(text, pattern) -%}
    regexp_like({{ text }}, concat('^(?:', {{ pattern }}, ')\z'))
{%- endmacro %}

{#- true when `pattern` matches somewhere in `text`; null when text is null. -#}
{% macro regex_contains(text, pattern) -%}
    {{ return(adapter.dispatch('regex_contains', 'portrait')(text, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_contains(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_contains(text, pattern) -%}
    regexp_like({{ text }}, {{ pattern }})
{%- endmacro %}

{#-
    `text` with every match of `pattern` replaced by `replacement`, a SQL string literal in which
    \1 ... \9 stand for the match's capture groups (RE2's spelling; Spark's is $1).
-#}
{% macro regex_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'portrait')(text, pattern, replacement)) }}
{%- endmacro %}

{% macro duckdb__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ modules.re.sub('\\\\([0-9])', '$\\1', replacement) }})
{%- endmacro %}

{#- Capture group `group` (0: the whole match) of the first match of `pattern` in `text`; '' when none. -#}
{% macro regex_extract(text, pattern, group) -%}
    regexp_extract({{ text }}, {{ pattern }}, {{ group }})
{%- endmacro %}
