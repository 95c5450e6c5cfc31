{#-
    Age band of a birth date on the as_of day: under_18, 18_24, 25_29, 30_34, 35_39, 40_49, 50_plus
    (null when the birth date is unknown or after the as_of day).
-#}
{% macro age_band(birth_date) -%}
    {%- set age = '(' ~ age_on_as_of(birth_date) ~ ')' -%}
    case
        when {{ birth_date }} is null or {{ birth_date }} > {{ as_of_date() }} then null
        when {{ age }} < 18 then 'under_18'
        when {{ age }} < 25 then '18_24'
        when {{ age }} < 30 then '25_29'
        when {{ age }} < 35 then '30_34'
        when {{ age }} < 40 then '35_39'
        when {{ age }} < 50 then '40_49'
        else '50_plus'
    end
{%- endmacro %}
