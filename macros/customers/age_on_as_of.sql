{#- Age in whole years of a birth date on the as_of day (null when unknown). -#}
{% macro age_on_as_of(birth_date) -%}
    date_diff('year', {{ birth_date }}, {{ as_of_date() }})
    - case when strftime({{ birth_date }}, '%m-%d') > strftime({{ as_of_date() }}, '%m-%d') then 1 else 0 end
{%- endmacro %}
