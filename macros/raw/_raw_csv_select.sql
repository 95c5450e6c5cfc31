{#-
    One CSV file as contract columns. Lines are split by a regular expression for RFC 4180
    fields (comma delimiter, double quotes, "" inside quotes) instead of the CSV reader, so a
    line that does not parse keeps its place: it becomes a record with _malformed_reason set
    ('bad_quoting', 'too_many_fields', 'too_few_fields'). Quoted values cannot span lines.
-#}
{% macro _raw_csv_select(file, columns) -%}
    {%- set header_line = run_query(_raw_lines(file, first_only=true)).columns[0].values() -%}
    {%- set header = [] -%}
    {%- for name in (header_line[0] if header_line | length > 0 else '').split(',') -%}
        {%- do header.append(name.strip().strip('"').strip().lower()) -%}
    {%- endfor -%}
    {%- set field = '"(?:[^"]|"")*"|[^,"]*' -%}
    select
        {%- for column in columns %}
        {% if column in header -%}
            case when _malformed_reason is null then _fields[{{ header.index(column) + 1 }}] end
        {%- else -%}
            null::varchar
        {%- endif %} as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ _sql_string(file) }} as _source_file,
        line_number as _source_row,
        raw_line as _raw_line,
        _malformed_reason
    from (
        select
            *,
            case
                when not _well_quoted then 'bad_quoting'
                when len(_fields) > {{ header | length }} then 'too_many_fields'
                when len(_fields) < {{ header | length }} then 'too_few_fields'
            end as _malformed_reason
        from (
            select
                raw_line,
                line_number,
                {#- Lines without quotes (most) are split directly; the regular expressions are slow. #}
                (
                    not contains(raw_line, '"')
                    or regexp_full_match(',' || rtrim(raw_line, chr(13)), '(,({{ field }}))+')
                ) as _well_quoted,
                case
                    when not contains(raw_line, '"') then string_split(rtrim(raw_line, chr(13)), ',')
                    else list_transform(
                        regexp_extract_all(',' || rtrim(raw_line, chr(13)), ',({{ field }})', 1),
                        lambda f: case when f like '"%' then replace(f[2:-2], '""', '"') else f end
                    )
                end as _fields
            from ({{ _raw_lines(file) }})
            where line_number > 1
        )
    )
{%- endmacro %}
