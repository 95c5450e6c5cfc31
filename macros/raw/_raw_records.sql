{#-
    The records of a UTF-8 CSV file as (raw_line, line_number): one per physical line, except
    that when `multiline` is true a quoted value may span lines (RFC 4180): a line that follows an
    odd number of double quotes continues the record before it, joined with a line break, and the
    record keeps the number of the line where it starts. Two guards keep one bad quote from
    swallowing good lines:
    - a line without quotes that holds exactly `field_count` fields is a record of its own and
      closes whatever was open before it (a stray quote does not reach past the next whole line);
    - a joined record that still does not parse (an unclosed quote) is split back into its lines,
      each judged alone.
    Blank records are left out; carriage returns at line ends are removed.
-#}
{% macro _raw_records(file, multiline, field_count) -%}
    {%- if not multiline -%}
    {#- the same as rtrim(raw_line, chr(13)) and trim(coalesce(raw_line, '')) != '', which cost a
        copy or a scan of every line: most lines neither end in a carriage return nor start with a space -#}
    select
        case when {{ text_ends_with('raw_line', 'chr(13)') }} then {{ rtrim_characters('raw_line', 'chr(13)') }} else raw_line end as raw_line,
        line_number
    from ({{ _raw_lines(file) }})
    where raw_line != '' and (not {{ text_starts_with('raw_line', "' '") }} or trim(raw_line) != '')
    {%- else -%}
    with lines as (
        select
            case when {{ text_ends_with('raw_line', 'chr(13)') }} then {{ rtrim_characters('raw_line', 'chr(13)') }} else coalesce(raw_line, '') end as raw_line,
            line_number
        from ({{ _raw_lines(file) }})
    ),
    measured as (
        select
            *,
            length(raw_line) - length(replace(raw_line, '"', '')) as quote_count,
            not contains(raw_line, '"')
            and length(raw_line) - length(replace(raw_line, ',', '')) = {{ field_count - 1 }} as is_whole_record
        from lines
    ),
    segmented as (
        select
            *,
            sum(cast(is_whole_record as integer)) over (order by line_number rows between unbounded preceding and current row) as segment
        from measured
    ),
    continued as (
        select
            *,
            not is_whole_record and coalesce(sum(quote_count) over (
                partition by segment order by line_number rows between unbounded preceding and 1 preceding
            ) % 2 = 1, false) as continues_record
        from segmented
    ),
    joined as (
        select
            record_start as line_number,
            {{ ordered_string_agg('raw_line', 'chr(10)', 'line_number') }} as raw_line,
            count(*) as line_count
        from (
            select
                *,
                max(case when not continues_record then line_number end) over (
                    order by line_number rows between unbounded preceding and current row
                ) as record_start
            from continued
        )
        group by record_start
    ),
    judged as (
        select
            *,
            line_count = 1 or {{ _raw_csv_well_quoted('raw_line') }} as is_record
        from joined
    )
    select raw_line, line_number from judged where is_record and trim(raw_line) != ''
    union all
    select lines.raw_line, lines.line_number
    from lines
    inner join judged
        on lines.line_number between judged.line_number and judged.line_number + judged.line_count - 1
    where not judged.is_record and trim(lines.raw_line) != ''
    {%- endif %}
{%- endmacro %}
