{#- A money amount as decimal(18, 2); currency signs, 元, RMB and thousands separators are dropped. -#}
{% macro parse_amount(expression) -%}
    try_cast({{ regex_replace_all(clean_text(expression), "'[¥￥,\s]|元|RMB|CNY'", "''") }} as decimal(18, 2))
{%- endmacro %}
