{#-
    One JSON Lines file as contract columns (decoded to UTF-8 first when it is not). A line that
    is not a JSON object is malformed ('invalid_json'; 'invalid_encoding' for undecodable bytes).
    Values keep their JSON type's meaning: strings as they are, whole-number doubles as digits
    (13912340001.0 -> 13912340001), objects and arrays as JSON text.
-#}
{% macro _raw_jsonl_select(file, columns) -%}
    {%- set prepared = _raw_prepared_file(file) -%}
    select
        {%- for column in columns %}
        case
            when _malformed_reason is not null then null
            when json_type(_object -> {{ _sql_string(column) }}) = 'DOUBLE'
                then {{ _raw_double_as_text("cast(_object -> " ~ _sql_string(column) ~ " as double)") }}
            else _object ->> {{ _sql_string(column) }}
        end as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ _sql_string(file) }} as _source_file,
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
                    when contains(raw_line, chr(65533)) then 'invalid_encoding'
                    when not coalesce(json_valid(raw_line), false) then 'invalid_json'
                    when json_type(raw_line) != 'OBJECT' then 'invalid_json'
                end as _malformed_reason
            from ({{ _raw_records(prepared.read_path, false) }})
        )
    )
{%- endmacro %}
