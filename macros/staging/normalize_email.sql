{#- An e-mail address lower-cased and trimmed, or null when it is not shaped like one. -#}
{% macro normalize_email(expression) -%}
    case
        when regexp_full_match(lower({{ clean_text(expression) }}), '[^@\s]+@[^@\s]+\.[a-z]{2,}')
            then lower({{ clean_text(expression) }})
    end
{%- endmacro %}
