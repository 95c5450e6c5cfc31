{#-
    The raw values of a source row as one struct (`_raw`), plus its lineage columns (the file
    version it was landed from, `_landing_id`, included).
    Used in the `renamed` step of every base staging model: `_raw` drives exact-duplicate
    detection and keeps the original values of quarantined rows.
-#}
{% macro raw_record() -%}
    {%- set lineage = ['_source_file', '_source_row', '_raw_line', '_malformed_reason', '_landing_id'] -%}
    {{ struct_of_columns_except(lineage) }} as _raw,
    {{ lineage | join(',\n    ') }}
{%- endmacro %}
