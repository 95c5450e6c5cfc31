{#- Every non-blank line of a text file with its 1-based line number, unparsed (or only the first). -#}
{% macro _raw_lines(file, first_only=false) -%}
    select
        raw_line,
        line_number
    from (
        select
            raw_line,
            row_number() over () as line_number
        from read_csv(
            {{ _sql_string(file) }},
            columns = {'raw_line': 'VARCHAR'},
            header = false,
            auto_detect = false,
            delim = chr(31),
            quote = '',
            escape = ''
        )
    )
    where trim(coalesce(raw_line, '')) != ''
    {%- if first_only %}
    limit 1
    {%- endif %}
{%- endmacro %}
