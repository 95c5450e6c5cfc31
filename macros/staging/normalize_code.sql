{#- A categorical code (platform, status, channel...) as clean lower-case text. -#}
{% macro normalize_code(expression) -%}
    lower({{ clean_text(expression) }})
{%- endmacro %}
