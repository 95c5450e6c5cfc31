{#-
    Exposes every raw source folder as a view `raw.<folder>` before a run (on-run-start).

    A source table declared with `schema: raw` is read from `$PORTRAIT_RAW_DIR/<identifier>/`:
    every *.csv, *.jsonl (also .ndjson, .json) and *.parquet file in it or its sub-folders, any
    case of extension, unioned (_raw_file_select). The view has the
    contract columns of the source (the columns declared in its YAML) as text, plus lineage:
    _source_file, _source_row (line number for CSV/JSONL, row number for Parquet), _raw_line (the
    original line of a CSV/JSONL record) and _malformed_reason (set when a line, or a whole file,
    cannot be read; its contract columns are then null). Staging decides what is valid.
    A missing or empty folder gives an empty view and a warning, so a project can start with a
    few sources; a missing raw directory is one warning, and a folder that is no source's (a typo,
    another case) is named in a warning.
-#}
{% macro land_raw_sources() %}
    {{ return(adapter.dispatch('land_raw_sources', 'portrait')()) }}
{% endmacro %}

{% macro default__land_raw_sources() %}
    {{ exceptions.raise_compiler_error(
        "Raw file landing is implemented for DuckDB only; on " ~ target.type
        ~ " declare the raw sources as external tables and remove the on-run-start hook.") }}
{% endmacro %}

{% macro duckdb__land_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_dir = raw_directory() -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- set source_folders = graph.sources.values() | selectattr('schema', 'equalto', 'raw') | map(attribute='identifier') | list -%}
    {%- set found_folders = fromjson(run_query('select portrait_raw_folders(' ~ sql_string(raw_dir) ~ ')').columns[0].values()[0]) -%}
    {%- if found_folders is none -%}
        {%- do exceptions.warn("The raw directory '" ~ raw_dir ~ "' ($PORTRAIT_RAW_DIR) does not exist: every source is empty.") -%}
    {%- endif -%}
    {%- for folder in found_folders or [] if folder not in source_folders -%}
        {%- do exceptions.warn("Raw folder '" ~ raw_dir ~ "/" ~ folder ~ "' is not a source and is not read"
            ~ (" (did you mean '" ~ folder | lower ~ "'?)" if folder | lower in source_folders else '')
            ~ "; source folders: " ~ source_folders | sort | join(', ')) -%}
    {%- endfor -%}
    {%- for node in graph.sources.values() if node.schema == 'raw' -%}
        {%- set columns = node.columns.keys() | list -%}
        {%- if columns | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "Source '" ~ node.source_name ~ "." ~ node.name ~ "' declares no columns: "
                ~ "list its contract columns in the source YAML.") }}
        {%- endif -%}
        {%- set folder = raw_dir ~ '/' ~ node.identifier -%}
        {%- set selects = [] -%}
        {%- for file, format in _raw_files(folder) -%}
            {%- if format is none -%}
                {%- do exceptions.warn("Raw file '" ~ file ~ "' is not CSV, JSON Lines or Parquet; it is not read (save a workbook as CSV).") -%}
            {%- else -%}
                {%- do selects.append(_raw_file_select(file, columns)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if selects | length == 0 -%}
            {%- if found_folders is not none -%}
                {%- do exceptions.warn("Raw folder '" ~ folder ~ "' is missing or has no data files: source '"
                    ~ node.source_name ~ "." ~ node.name ~ "' is empty.") -%}
            {%- endif -%}
            {%- do selects.append(_raw_empty_select(columns)) -%}
        {%- endif -%}
        {%- do run_query('create or replace view raw.' ~ adapter.quote(node.identifier) ~ ' as\n'
            ~ selects | join('\nunion all\n')) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
