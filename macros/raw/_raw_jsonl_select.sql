{#-
    One JSON Lines file (prepared by _raw_prepared_file: UTF-8, its keys sampled) as contract
    columns. A line that is not a JSON object is malformed ('invalid_json'; 'invalid_encoding' for
    bytes in no known encoding; `file_reason` for every line when given). Keys match contract
    columns case-insensitively (ORDER_ID, Order_Id). Values keep their JSON type's meaning: strings
    as they are, whole-number doubles as digits (13912340001.0 -> 13912340001), objects and arrays
    as JSON text.
-#}
{% macro _raw_jsonl_select(file, prepared, columns, file_reason=none) -%}
    {#- every key read, in order: each contract column, then the other cases of it seen in the file -#}
    {%- set paths = [] -%}
    {%- set keys_of = {} -%}
    {%- for column in columns -%}
        {%- set keys = [column] -%}
        {%- for key in prepared.columns if key | lower == column and key != column -%}
            {%- do keys.append(key) -%}
        {%- endfor -%}
        {%- set positions = [] -%}
        {%- for key in keys -%}
            {%- do paths.append(sql_string('$."' ~ key ~ '"')) -%}
            {%- do positions.append(paths | length) -%}
        {%- endfor -%}
        {%- do keys_of.update({column: positions}) -%}
    {%- endfor %}
    select
        {%- for column in columns %}
        case
            when _malformed_reason is not null then null
            {%- for position in keys_of[column] %}
            when json_type(_values[{{ position }}]) = 'DOUBLE'
                then {{ _raw_double_as_text("cast(_values[" ~ position ~ "] as double)") }}
            when _values[{{ position }}] ->> '$' is not null then _values[{{ position }}] ->> '$'
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
            {#- one parse per line: the values of every key read, as JSON (null when absent) -#}
            case when _malformed_reason is null then json_extract(raw_line, [{{ paths | join(', ') }}]) end as _values,
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
