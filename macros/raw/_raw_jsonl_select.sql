{#- One JSON Lines file as contract columns; a line that is not a JSON object is malformed ('invalid_json'). -#}
{% macro _raw_jsonl_select(file, columns) -%}
    select
        {%- for column in columns %}
        case when _malformed_reason is null then raw_line::json ->> {{ _sql_string(column) }} end
            as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ _sql_string(file) }} as _source_file,
        line_number as _source_row,
        raw_line as _raw_line,
        _malformed_reason
    from (
        select
            raw_line,
            line_number,
            case
                when not coalesce(json_valid(raw_line), false) then 'invalid_json'
                when json_type(raw_line) != 'OBJECT' then 'invalid_json'
            end as _malformed_reason
        from ({{ _raw_lines(file) }})
    )
{%- endmacro %}
