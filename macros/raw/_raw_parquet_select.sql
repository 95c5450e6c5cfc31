{#- One Parquet file as contract columns (as text); absent contract columns are null. -#}
{% macro _raw_parquet_select(file, columns) -%}
    {%- set present = run_query("select lower(name) from parquet_schema(" ~ _sql_string(file) ~ ")").columns[0].values() | list -%}
    select
        {%- for column in columns %}
        {% if column in present -%}
            cast({{ adapter.quote(column) }} as varchar)
        {%- else -%}
            null::varchar
        {%- endif %} as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ _sql_string(file) }} as _source_file,
        row_number() over () as _source_row,
        null::varchar as _raw_line,
        null::varchar as _malformed_reason
    from read_parquet({{ _sql_string(file) }})
{%- endmacro %}
