{#-
    Every physical line of a UTF-8 text file with its 1-based line number, unparsed; blank lines
    are kept as null (their numbers count). A line ends at LF, CRLF or CR, mixed in one file too
    (strict_mode off: a CRLF file with bare LFs inside quoted values); a line may be up to 1 GiB
    (a JSON export on one line).
-#}
{% macro _raw_lines(file) -%}
    select
        raw_line,
        row_number() over () as line_number
    from read_csv(
        {{ sql_string(file) }},
        columns = {'raw_line': 'VARCHAR'},
        header = false,
        auto_detect = false,
        delim = chr(31),
        quote = '',
        escape = '',
        strict_mode = false,
        max_line_size = 1073741824
    )
{%- endmacro %}
