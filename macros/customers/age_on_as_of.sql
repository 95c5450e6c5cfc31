{#- Age in whole years of a birth date on the as_of day (null when unknown). -#}
{% macro age_on_as_of(birth_date) -%}
    cast(
        year({{ as_of_date() }}) - year({{ birth_date }})
        - case when month({{ birth_date }}) * 100 + day({{ birth_date }}) > month({{ as_of_date() }}) * 100 + day({{ as_of_date() }}) then 1 else 0 end
        as bigint
    )
{%- endmacro %}
