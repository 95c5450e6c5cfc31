{#-
    Every physical line of a UTF-8 text file with its 1-based line number, unparsed; blank lines
    are kept as null (their numbers count). A line ends at LF, CRLF or CR, mixed in one file too
    (strict_mode off: a CRLF file with bare LFs inside quoted values); a line may be up to 1 GiB
    (a JSON export on one line).
-#}
{% macro _raw_lines(file) -%}
    {{ return(adapter.dispatch('_raw_lines', 'portrait')(file)) }}
{%- endmacro %}

{% macro default___raw_lines(file) -%}
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

{#-
    Spark: the file's bytes (binaryFile, UTF-8: the file itself or its decoded copy) split into
    lines as DuckDB's reader splits them: the first line break decides the kind; after an LF
    every CR and LF ends a line (a CRLF is two), after a CRLF a CRLF or a bare LF does (a CR left
    at a line's end is removed by _raw_records), after a bare CR any of them.
-#}
{% macro spark___raw_lines(file) -%}
    select
        case when _line = '' then null else _line end as raw_line,
        cast(_position + 1 as bigint) as line_number
    from (
        select posexplode(
            case when element_at(_parts, -1) = '' then slice(_parts, 1, size(_parts) - 1) else _parts end
        ) as (_position, _line)
        from (
            select split(_text, case regexp_extract(_text, '\r\n|\n|\r', 0)
                when chr(10) then '[\r\n]' when concat(chr(13), chr(10)) then '\r?\n' else '\r\n|\r|\n' end, -1) as _parts
            from (select decode(content, 'UTF-8') as _text from binaryFile.{{ _raw_spark_path(file) }})
        )
    )
{%- endmacro %}

{#- Spark: a file path as a quoted identifier of a file data source (binaryFile.`...`), its glob
    characters escaped so that Hadoop reads the one file of that name. -#}
{% macro _raw_spark_path(file) -%}
    `{{ file.replace('\\', '\\\\').replace('[', '\\[').replace(']', '\\]').replace('{', '\\{').replace('}', '\\}')
        .replace('*', '\\*').replace('?', '\\?').replace('`', '``') }}`
{%- endmacro %}
