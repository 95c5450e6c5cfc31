{#-
    The list files static segments name (`list: <name>` -> <folder>/<name>.csv), where <folder>
    is $PORTRAIT_SEGMENT_LISTS_DIR, default segment_lists/ beside the raw folder: {'found':
    {name: path}, 'missing': {name: path}}. A missing file is a warning naming the segment (when
    `warn`); the segment builds with no members, its `input_status` in segment_definitions says
    why, and the build's test assert_segment_list_files_exist warns: the other segments build.
-#}
{% macro segment_list_files(segments, warn=true) -%}
    {%- set raw_parent = raw_directory().rsplit('/', 1)[0] if '/' in raw_directory() else '.' -%}
    {%- set folder = env_var('PORTRAIT_SEGMENT_LISTS_DIR', raw_parent ~ '/segment_lists').rstrip('/') -%}
    {%- set files = {'found': {}, 'missing': {}} -%}
    {%- for segment in segments if segment.list -%}
        {%- set path = folder ~ '/' ~ segment.list ~ '.csv' -%}
        {%- if not execute or segment_list_file_exists(path) -%}
            {%- do files.found.update({segment.list: path}) -%}
        {%- else -%}
            {%- if warn -%}
                {%- do exceptions.warn("Segment definition '" ~ segment.code ~ "' (" ~ segment.defined_in ~ "): field 'list' names " ~ path ~ ', which does not exist; the segment has no members until it does') -%}
            {%- endif -%}
            {%- do files.missing.update({segment.list: path}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}


{#-
    SQL: every line of the found list files (read like raw CSV sources: line numbers kept, a
    malformed line kept with its reason) as list_name, source_row, raw_identifier_type,
    raw_identifier, malformed_reason.
-#}
{% macro segment_list_rows(found) -%}
    {%- for name, path in found.items() %}
    select
        {{ sql_string(name) }} as list_name,
        _source_row as source_row,
        identifier_type as raw_identifier_type,
        identifier as raw_identifier,
        _malformed_reason as malformed_reason
    from ({{ segment_list_file_select(path, ['identifier_type', 'identifier']) }})
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as string) as list_name,
        cast(null as bigint) as source_row,
        cast(null as string) as raw_identifier_type,
        cast(null as string) as raw_identifier,
        cast(null as string) as malformed_reason
    where false
    {%- endfor %}
{%- endmacro %}


{#-
    true when the file `path` exists, asked of the engine (the path is read where the engine runs).
    DuckDB: glob(). Spark: a script transformation running $PORTRAIT_PYTHON on the path.
-#}
{% macro segment_list_file_exists(path) -%}
    {{ return(adapter.dispatch('segment_list_file_exists', 'portrait')(path)) }}
{%- endmacro %}

{% macro default__segment_list_file_exists(path) -%}
    {{ return(run_query('select count(*) from glob(' ~ sql_string(path) ~ ')').columns[0].values()[0] > 0) }}
{%- endmacro %}

{% macro spark__segment_list_file_exists(path) -%}
    {%- set command = env_var('PORTRAIT_PYTHON', 'python3')
        ~ ' -c "import os, sys; print(sum(os.path.isfile(line.rstrip(chr(10))) for line in sys.stdin))"' -%}
    {%- set row_format = "row format delimited fields terminated by '\\t' lines terminated by '\\n'" -%}
    {%- set result = run_query('select transform(path) ' ~ row_format ~ ' using ' ~ sql_string(command)
        ~ ' as (found string) ' ~ row_format ~ ' from (select ' ~ sql_string(path) ~ ' as path) as file_path') -%}
    {{ return((result.columns[0].values()[0] | int) > 0) }}
{%- endmacro %}


{#-
    SQL: one list file read like a raw file (_raw_file_select), described as the landing step
    describes raw files (decoded, its header read).
-#}
{% macro segment_list_file_select(path, columns) -%}
    {{ return(adapter.dispatch('segment_list_file_select', 'portrait')(path, columns)) }}
{%- endmacro %}

{% macro default__segment_list_file_select(path, columns) -%}
    {{ return(_raw_file_select(path, _raw_prepared_file(path), columns)) }}
{%- endmacro %}

{% macro spark__segment_list_file_select(path, columns) -%}
    {%- if not execute -%}{{ return(_raw_empty_select(columns)) }}{%- endif -%}
    {%- set described = _raw_spark_describe({'list': path.rsplit('/', 1)[0] if '/' in path else '.'}) -%}
    {%- for file, format, prepared in described.files['list'] if file == path and format is not none -%}
        {{ return(_raw_file_select(path, prepared, columns)) }}
    {%- endfor -%}
    {{ return(_raw_unreadable_select(path, columns, 'file not found or not CSV, JSON Lines or Parquet')) }}
{%- endmacro %}
