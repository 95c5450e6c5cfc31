{#- Generic test: no two rows share the same values of `combination_of_columns` (nulls compare equal). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- if combination_of_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("unique_combination_of_columns on " ~ model ~ ": combination_of_columns is empty.") }}
    {%- endif -%}
    select
        {{ combination_of_columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endtest %}
