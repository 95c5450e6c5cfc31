{#- SQL: `expression` normalised by one identifier type's rule (a value of identifier_rules()). -#}
{% macro _normalize_identifier_by_rule(rule, expression) -%}
    {%- set kind = rule.normalisation -%}
    {%- if kind == 'mobile_cn' -%}
        {%- set canonical = _mobile_cn_digits(clean_text(expression), rule.canonical_pattern, rule.whole_number_floats) -%}
    {%- else -%}
        {%- set text = regex_replace_all(clean_text(expression), "'\\s'", "''") -%}
        {%- if rule.whole_number_floats -%}
            {%- set text = regex_replace_all(text, "'^([0-9]+)\\.0+$'", "'\\1'") -%}
        {%- endif -%}
        {%- set canonical = {'email': 'lower', 'lower': 'lower', 'upper': 'upper'}.get(kind, '') ~ '(' ~ text ~ ')' -%}
    {%- endif -%}
    {%- if rule.canonical_pattern and kind != 'mobile_cn' -%}
        case when {{ regex_full_match(canonical, sql_string(rule.canonical_pattern)) }} then {{ canonical }} end
    {%- else -%}
        nullif({{ canonical }}, '')
    {%- endif -%}
{%- endmacro %}
