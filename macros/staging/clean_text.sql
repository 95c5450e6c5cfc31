{#-
    Text as staging keeps it: half-width, surrounding whitespace removed, and null-like strings
    ('', 'null', 'NULL', '-', 'N/A', 'none', ...) turned into null.
-#}
{% macro clean_text(expression) -%}
    {%- set trimmed = "trim(" ~ to_halfwidth(expression) ~ ", ' ' || chr(9) || chr(10) || chr(13))" -%}
    case
        when lower({{ trimmed }}) in ({{ "'" ~ var('null_like_strings') | join("', '") ~ "'" }}) then null
        else {{ trimmed }}
    end
{%- endmacro %}
