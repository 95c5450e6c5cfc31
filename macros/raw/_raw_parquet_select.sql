{#-
    One Parquet file as contract columns: each column read by its type (_raw_value_as_text, so a
    time-zone-aware timestamp stays an instant and a whole-number double phone keeps its digits);
    absent contract columns are null; column names match case-insensitively. _source_row is the
    row's position in the file (1-based).
-#}
{% macro _raw_parquet_select(file, columns) -%}
    {%- set present = {} -%}
    {%- if execute -%}
        {%- set described = run_query('describe select * from read_parquet(' ~ _sql_string(file) ~ ')') -%}
        {%- for row in described.rows -%}
            {%- do present.update({row[0] | lower: {'name': row[0], 'type': row[1]}}) -%}
        {%- endfor -%}
    {%- endif -%}
    select
        {%- for column in columns %}
        {% if column in present -%}
            {{ _raw_value_as_text(adapter.quote(present[column].name), present[column].type) }}
        {%- else -%}
            null::varchar
        {%- endif %} as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ _sql_string(file) }} as _source_file,
        file_row_number + 1 as _source_row,
        null::varchar as _raw_line,
        null::varchar as _malformed_reason
    from read_parquet({{ _sql_string(file) }}, file_row_number = true)
{%- endmacro %}
