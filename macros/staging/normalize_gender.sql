{#- 'female' / 'male' from the spellings sources use (F, 女, 2, female...); anything else is null. -#}
{% macro normalize_gender(expression) -%}
    case
        when lower({{ clean_text(expression) }}) in ('f', 'female', '女', '2', 'w', 'woman') then 'female'
        when lower({{ clean_text(expression) }}) in ('m', 'male', '男', '1', 'man') then 'male'
    end
{%- endmacro %}
