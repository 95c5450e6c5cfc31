{#- An identifier in the canonical form of its type: phones and e-mails normalised, others cleaned text. -#}
{% macro normalize_identifier(identifier_type, identifier) -%}
    case {{ identifier_type }}
        when 'phone' then {{ normalize_phone(identifier) }}
        when 'email' then {{ normalize_email(identifier) }}
        else {{ clean_text(identifier) }}
    end
{%- endmacro %}
