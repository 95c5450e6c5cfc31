{#- A whole number as bigint, or null ('2.0' is 2; '2.5' and text are null). -#}
{% macro parse_integer(expression) -%}
    case
        when try_cast({{ clean_text(expression) }} as double) = floor(try_cast({{ clean_text(expression) }} as double))
            then cast(try_cast({{ clean_text(expression) }} as double) as bigint)
    end
{%- endmacro %}
