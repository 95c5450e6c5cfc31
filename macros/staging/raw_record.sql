{#-
    The raw values of a source row as one struct (`_raw`), plus its lineage columns (the file
    version it was landed from, `_landing_id`, included).
    Used in the `renamed` step of every base staging model: `_raw` drives exact-duplicate
    detection and keeps the original values of quarantined rows.
-#}
{% macro raw_record() -%}
    {{ return(adapter.dispatch('raw_record', 'portrait')()) }}
{%- endmacro %}

{% macro duckdb__raw_record() -%}
    struct_pack(*columns(* exclude (_source_file, _source_row, _raw_line, _malformed_reason, _landing_id))) as _raw,
    _source_file,
    _source_row,
    _raw_line,
    _malformed_reason,
    _landing_id
{%- endmacro %}

{% macro spark__raw_record() -%}
    struct(* except (_source_file, _source_row, _raw_line, _malformed_reason, _landing_id)) as _raw,
    _source_file,
    _source_row,
    _raw_line,
    _malformed_reason,
    _landing_id
{%- endmacro %}
