{#-
    The raw values of a source row as one struct (`_raw`), plus its lineage columns.
    Used in the `renamed` step of every base staging model: `_raw` drives exact-duplicate
    detection and keeps the original text of quarantined rows.
-#}
{% macro raw_record(source_name, table_name) -%}
    {%- set columns = _source_columns(source_name, table_name) -%}
    struct_pack(
        {%- for column in columns %}
        {{ adapter.quote(column) }} := {{ adapter.quote(column) }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as _raw,
    _source_file,
    _source_row,
    _raw_line,
    _malformed_reason
{%- endmacro %}

{% macro _source_columns(source_name, table_name) %}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
        {{ return(node.columns.keys() | list) }}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("Unknown source '" ~ source_name ~ "." ~ table_name ~ "'.") }}
{% endmacro %}
