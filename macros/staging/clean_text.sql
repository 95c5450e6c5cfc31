{#-
    Text as staging keeps it: half-width, surrounding whitespace removed, and null-like strings
    ('', 'null', 'NULL', '-', 'N/A', 'none', ...) turned into null.
-#}
{% macro clean_text(expression) -%}
    {%- set trimmed = "regexp_replace(" ~ to_halfwidth(expression) ~ ", '^\\s+|\\s+$', '', 'g')" -%}
    case
        when lower({{ trimmed }}) in ({{ "'" ~ var('null_like_strings') | join("', '") ~ "'" }}) then null
        else {{ trimmed }}
    end
{%- endmacro %}
