{#- The expression of a derived tag over the tags computed before it (columns named by code). -#}
{% macro _tag_derived(tag, as_of) -%}
    {%- set rule = tag.rule -%}
    {%- if rule.type == 'bucket' -%}
        case
            when {{ rule.of }} is null then {{ sql_literal(rule.null_value) if rule.get('null_value') is not none else 'null' }}
            {%- for band in rule.bands %}
            {{ 'when ' ~ rule.of ~ ' <= ' ~ band.max ~ ' then' if band.get('max') is not none else 'else' }} {{ sql_literal(band.value) }}
            {%- endfor %}
        end
    {%- elif rule.type == 'map' -%}
        case cast({{ rule.of }} as string)
            {%- for key, value in rule['values'].items() %}
            when {{ sql_string(key | string | lower if key is sameas true or key is sameas false else key) }} then {{ sql_literal(value) }}
            {%- endfor %}
            else {{ sql_literal(rule.default) if rule.get('default') is not none else 'null' }}
        end
    {%- elif rule.type == 'threshold' -%}
        ({% if rule.get('min') is not none %}{{ rule.of }} >= {{ rule.min }}{% endif %}{{ ' and ' if rule.get('min') is not none and rule.get('max') is not none }}{% if rule.get('max') is not none %}{{ rule.of }} <= {{ rule.max }}{% endif %})
    {%- elif rule.type == 'sql' -%}
        ({{ _tag_expression(tag, as_of) }})
    {%- endif -%}
{%- endmacro %}
