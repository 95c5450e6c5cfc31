{#-
    One row standing for a raw file that cannot be read at all (a truncated Parquet file): contract
    columns null, _source_row 0, _raw_line the error and _malformed_reason 'unreadable_file', so
    staging quarantines it, the file is counted, and the other files and sources build. A warning
    names the file.
-#}
{% macro _raw_unreadable_select(file, columns, error) -%}
    {{ return(adapter.dispatch('_raw_unreadable_select', 'portrait')(file, columns, error)) }}
{%- endmacro %}

{% macro default___raw_unreadable_select(file, columns, error) -%}
    {%- do exceptions.warn("Raw file '" ~ file ~ "' cannot be read (" ~ error ~ "); it is one quarantined row.") -%}
    select
        {%- for column in columns %}
        null::varchar as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        0::bigint as _source_row,
        {{ sql_string(error) }} as _raw_line,
        'unreadable_file' as _malformed_reason
{%- endmacro %}

{% macro spark___raw_unreadable_select(file, columns, error) -%}
    {%- do exceptions.warn("Raw file '" ~ file ~ "' cannot be read (" ~ error ~ "); it is one quarantined row.") -%}
    select
        {%- for column in columns %}
        cast(null as string) as {{ adapter.quote(column) }},
        {%- endfor %}
        {{ sql_string(file) }} as _source_file,
        cast(0 as bigint) as _source_row,
        {{ sql_string(error) }} as _raw_line,
        'unreadable_file' as _malformed_reason
{%- endmacro %}
