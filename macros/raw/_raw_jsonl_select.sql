{#-
    One JSON Lines file (prepared by _raw_prepared_file: UTF-8, its keys sampled) as contract
    columns. A line that is not a JSON object is malformed ('invalid_json'; 'invalid_encoding' for
    bytes in no known encoding; `file_reason` for every line when given). Keys match contract
    columns case-insensitively (ORDER_ID, Order_Id). Values keep their JSON type's meaning: strings
    as they are, whole-number doubles as digits (13912340001.0 -> 13912340001), objects and arrays
    as JSON text.
-#}
{% macro _raw_jsonl_select(file, prepared, columns, file_reason=none) -%}
    select
        {%- for column in columns %}
        {%- set keys = [column] %}
        {%- for key in prepared.columns if key | lower == column and key != column %}
            {%- do keys.append(key) %}
        {%- endfor %}
        case
            when _malformed_reason is not null then null
            {%- for key in keys %}
            when json_type(_object -> {{ sql_string(key) }}) = 'DOUBLE'
                then {{ _raw_double_as_text("cast(_object -> " ~ sql_string(key) ~ " as double)") }}
            when _object ->> {{ sql_string(key) }} is not null then _object ->> {{ sql_string(key) }}
            {%- endfor %}
        end as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        line_number as _source_row,
        raw_line as _raw_line,
        _malformed_reason
    from (
        select
            raw_line,
            line_number,
            case when _malformed_reason is null then raw_line::json end as _object,
            _malformed_reason
        from (
            select
                raw_line,
                line_number,
                case
                    {%- if file_reason %}
                    when true then {{ sql_string(file_reason) }}
                    {%- endif %}
                    when contains(raw_line, chr(65533)) then 'invalid_encoding'
                    when not coalesce(json_valid(raw_line), false) then 'invalid_json'
                    when json_type(raw_line) != 'OBJECT' then 'invalid_json'
                end as _malformed_reason
            from ({{ _raw_records(prepared.read_path, false, 0) }})
        )
    )
{%- endmacro %}
