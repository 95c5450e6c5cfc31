{#- An empty relation with the contract columns and lineage columns of a landed raw table. -#}
{% macro _raw_empty_select(columns) -%}
    {{ return(adapter.dispatch('_raw_empty_select', 'portrait')(columns)) }}
{%- endmacro %}

{% macro default___raw_empty_select(columns) -%}
    select
        {%- for column in columns %}
        null::varchar as {{ adapter.quote(column) }},
        {%- endfor %}
        null::varchar as _source_file,
        null::bigint as _source_row,
        null::varchar as _raw_line,
        null::varchar as _malformed_reason
    where false
{%- endmacro %}

{% macro spark___raw_empty_select(columns) -%}
    select
        {%- for column in columns %}
        cast(null as string) as {{ adapter.quote(column) }},
        {%- endfor %}
        cast(null as string) as _source_file,
        cast(null as bigint) as _source_row,
        cast(null as string) as _raw_line,
        cast(null as string) as _malformed_reason
    where false
{%- endmacro %}
