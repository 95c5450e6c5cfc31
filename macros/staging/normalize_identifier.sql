{#-
    An identifier in the one canonical form of its type, or null when the value is not an
    identifier of that type. The rule of each type is a row of seeds/identity/identifier_types.csv
    (see identifier_rules); every place an identifier enters Portrait (staging, consents, lists,
    third-party tags, campaign events) calls this macro, so one value is written one way everywhere.

    identifier_type: SQL expression of the type. A quoted literal ("'phone'") compiles to that
        type's rule alone (an unknown literal type is a compile error); any other expression (a
        column) compiles to a case over every type, and a type the seed does not know is read as
        case-sensitive text.
    identifier:      SQL expression of the raw value.
    rules:           the rules to apply (default identifier_rules(), the loaded seed).
-#}
{% macro normalize_identifier(identifier_type, identifier, rules=none) -%}
    {%- set rules = identifier_rules() if rules is none else rules -%}
    {%- set text_rule = {'normalisation': 'text', 'whole_number_floats': false, 'canonical_pattern': none} -%}
    {%- set literal = identifier_type | trim -%}
    {%- if literal.startswith("'") and literal.endswith("'") and literal | length > 2 and "'" not in literal[1:-1] -%}
        {%- set type_name = literal[1:-1] -%}
        {%- if execute and type_name not in rules -%}
            {{ exceptions.raise_compiler_error(
                "normalize_identifier: identifier type '" ~ type_name
                ~ "' is not in seeds/identity/identifier_types.csv; add a row for it (its normalisation, whole_number_floats, canonical_pattern)"
            ) }}
        {%- endif -%}
        {{ _normalize_identifier_by_rule(rules.get(type_name, text_rule), identifier) }}
    {%- else -%}
        case
            {%- for type_name, rule in rules | dictsort %}
            when {{ identifier_type }} = {{ sql_string(type_name) }} then {{ _normalize_identifier_by_rule(rule, identifier) }}
            {%- endfor %}
            else {{ _normalize_identifier_by_rule(text_rule, identifier) }}
        end
    {%- endif -%}
{%- endmacro %}
