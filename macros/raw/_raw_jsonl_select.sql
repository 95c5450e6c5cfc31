{#-
    One JSON Lines file (prepared by _raw_prepared_file: UTF-8, its keys sampled) as contract
    columns. A line that is not a JSON object is malformed ('invalid_json'; 'invalid_encoding' for
    bytes in no known encoding; `file_reason` for every line when given). Keys match contract
    columns case-insensitively (ORDER_ID, Order_Id). Values keep their JSON type's meaning: strings
    as they are, whole-number doubles as digits (13912340001.0 -> 13912340001), objects and arrays
    as JSON text.
-#}
{% macro _raw_jsonl_select(file, prepared, columns, file_reason=none) -%}
    {{ return(adapter.dispatch('_raw_jsonl_select', 'portrait')(file, prepared, columns, file_reason)) }}
{%- endmacro %}

{#-
    The keys read from a JSON Lines file: each contract column, then the other cases of it seen in
    the file (ORDER_ID, Order_Id), as {keys: [key], positions: {column: [1-based positions in keys]}}.
-#}
{% macro _raw_jsonl_keys(prepared, columns) -%}
    {%- set keys = [] -%}
    {%- set positions = {} -%}
    {%- for column in columns -%}
        {%- do positions.update({column: []}) -%}
        {%- do keys.append(column) -%}
        {%- do positions[column].append(keys | length) -%}
        {%- for key in prepared.columns if key | lower == column and key != column -%}
            {%- do keys.append(key) -%}
            {%- do positions[column].append(keys | length) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return({'keys': keys, 'positions': positions}) }}
{%- endmacro %}

{% macro default___raw_jsonl_select(file, prepared, columns, file_reason=none) -%}
    {%- set read = _raw_jsonl_keys(prepared, columns) -%}
    {%- set keys_of = read['positions'] -%}
    {%- set paths = [] -%}
    {%- for key in read['keys'] -%}
        {%- do paths.append(sql_string('$."' ~ key ~ '"')) -%}
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

{#-
    Spark: the same rows. Each line is parsed once as a VARIANT (try_parse_json: null when it is
    not JSON) for its type and its values' types; values are read with get_json_object (strings
    unescaped, objects and arrays as compact JSON text in their order). A number is a double for
    DuckDB unless written as a whole number within BIGINT / UBIGINT.
-#}
{% macro spark___raw_jsonl_select(file, prepared, columns, file_reason=none) -%}
    {%- set read = _raw_jsonl_keys(prepared, columns) -%}
    {%- set keys, keys_of = read['keys'], read['positions'] %}
    select
        {%- for column in columns %}
        case
            when _malformed_reason is not null then null
            {%- for position in keys_of[column] %}
            when _number_{{ position }} is not null then {{ _raw_double_as_text('_number_' ~ position) }}
            when _text_{{ position }} is not null then _text_{{ position }}
            {%- endfor %}
        end as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        line_number as _source_row,
        raw_line as _raw_line,
        _malformed_reason
    from (
        select
            {%- for key in keys %}
            case
                when _type_{{ loop.index }} rlike '^(TINYINT|SMALLINT|INT|BIGINT|DECIMAL|DOUBLE|FLOAT)'
                    and not (_text_{{ loop.index }} rlike '^-?[0-9]+$'
                        and cast(_text_{{ loop.index }} as double) between -9223372036854775808 and 18446744073709551615)
                    then cast(_text_{{ loop.index }} as double)
            end as _number_{{ loop.index }},
            {%- endfor %}
            *
        from (
        select
            raw_line,
            line_number,
            {%- for key in keys %}
            case when _malformed_reason is null then schema_of_variant(variant_get(_value, {{ sql_string('$["' ~ key ~ '"]') }})) end as _type_{{ loop.index }},
            case when _malformed_reason is null then get_json_object(_json, {{ sql_string("$['" ~ key ~ "']") }}) end as _text_{{ loop.index }},
            {%- endfor %}
            _malformed_reason
        from (
            select
                raw_line,
                line_number,
                _value,
                _json,
                case
                    {%- if file_reason %}
                    when true then {{ sql_string(file_reason) }}
                    {%- endif %}
                    when contains(raw_line, decode(x'EFBFBD', 'UTF-8')) then 'invalid_encoding'
                    when _value is null then 'invalid_json'
                    when not startswith(schema_of_variant(_value), 'OBJECT') then 'invalid_json'
                end as _malformed_reason
            from (
                {#- DuckDB's reader also takes a comma before a closing bracket; Spark reads such a
                    line without those commas. Text after the object is not JSON (Spark would read
                    the object alone). -#}
                select
                    raw_line,
                    line_number,
                    case when regexp_like(raw_line, '[}\]][ \t\r\n]*\z') then coalesce(_strict, try_parse_json(_json)) end as _value,
                    _json
                from (
                    select
                        raw_line,
                        line_number,
                        _strict,
                        case when _strict is null then regexp_replace(raw_line, ',([ \t\r\n]*[}\]])', '$1') else raw_line end as _json
                    from (
                        select raw_line, line_number, try_parse_json(raw_line) as _strict
                        from ({{ _raw_records(prepared.read_path, false, 0) }})
                    )
                )
            )
        )
    )
    )
{%- endmacro %}
