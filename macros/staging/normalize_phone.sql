{#-
    A mainland mobile number in its canonical 11-digit form (13800138000), or null.
    Accepts +86 / 0086 / 86 prefixes, spaces, dashes, dots, brackets and full-width digits.
    Masked numbers (138****8000) and anything that is not 1[3-9] + 9 digits give null: they are
    not identifiers.
-#}
{% macro normalize_phone(expression) -%}
    nullif(regexp_extract(
        regexp_replace({{ clean_text(expression) }}, '[\s\-().+]', '', 'g'),
        '^(?:0086|86)?(1[3-9][0-9]{9})$',
        1
    ), '')
{%- endmacro %}
