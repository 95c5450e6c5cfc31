{#-
    One CSV file (prepared by _raw_prepared_file: UTF-8, its header read by Python's csv module)
    as contract columns. The file is split into records (_raw_records: a quoted value may span
    lines) and each record into RFC 4180 fields (comma delimiter, double quotes, "" inside quotes)
    (or `="..."`, as marketplace exports write long numbers) by a regular expression instead of
    the CSV reader, so a record that does not parse keeps its
    place and line number: it becomes a row with _malformed_reason set ('invalid_encoding' for
    bytes in no known encoding, 'bad_quoting', 'too_many_fields', 'too_few_fields'), or
    `file_reason` for every row when given. Header names match contract columns case-insensitively.
-#}
{% macro _raw_csv_select(file, prepared, columns, file_reason=none) -%}
    {%- set header = prepared.columns -%}
    select
        {%- for column in columns %}
        {% if column in header -%}
            case when _malformed_reason is null then {{ list_element('_fields', header.index(column) + 1) }} end
        {%- else -%}
            cast(null as string)
        {%- endif %} as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        line_number as _source_row,
        raw_line as _raw_line,
        _malformed_reason
    from (
        select
            *,
            case
                {%- if file_reason %}
                when true then {{ sql_string(file_reason) }}
                {%- endif %}
                when contains(raw_line, {{ replacement_character() }}) then 'invalid_encoding'
                when not _well_quoted then 'bad_quoting'
                when {{ list_size('_fields') }} > {{ header | length }} then 'too_many_fields'
                when {{ list_size('_fields') }} < {{ header | length }} then 'too_few_fields'
            end as _malformed_reason
        from (
            select
                raw_line,
                line_number,
                {#- Records without quotes (most) are split directly; the regular expressions are slow. #}
                (not contains(raw_line, '"') or {{ _raw_csv_well_quoted('raw_line') }}) as _well_quoted,
                case
                    when not contains(raw_line, '"') then {{ split_text('raw_line', "','") }}
                    else {{ list_map(
                        "regexp_extract_all(concat(',', raw_line), ',(" ~ _raw_csv_field_pattern() ~ ")', 1)",
                        'f',
                        _raw_csv_field_value('f')
                    ) }}
                end as _fields
            from ({{ _raw_records(prepared.read_path, prepared.multiline, header | length) }})
            where line_number > 1
        )
    )
{%- endmacro %}
