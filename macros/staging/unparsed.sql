{#- True when a raw value was given but could not be parsed into `parsed_column`. -#}
{% macro unparsed(parsed_column, raw_column) -%}
    ({{ parsed_column }} is null and {{ clean_text('_raw.' ~ adapter.quote(raw_column)) }} is not null)
{%- endmacro %}
