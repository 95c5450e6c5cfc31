{#-
    Lands every raw source folder into a table `raw.<folder>` before a run (on-run-start), file
    by file: only files that are new or changed since the last run are read.

    A source table declared with `schema: raw` is read from `$PORTRAIT_RAW_DIR/<identifier>/`:
    every *.csv, *.jsonl (also .ndjson, .json) and *.parquet file in it or its sub-folders, any
    case of extension (_raw_file_select). The table has the contract columns of the source (the
    columns declared in its YAML) as text, plus lineage: _source_file, _source_row (line number for
    CSV/JSONL, row number for Parquet), _raw_line (the original line of a CSV/JSONL record),
    _malformed_reason (set when a line, or a whole file, cannot be read; its contract columns are
    then null) and _landing_id (the file version the row came from). Staging decides what is valid.

    Files are tracked in `raw._landed_files` (one row per landed file: source_folder, path,
    landing_id, size_bytes, checksum (SHA-256), landed_rows, landed_at). A file's landing_id is
    the MD5 of its path, checksum and the source's contract columns: a file whose bytes changed
    (a corrected export replacing the old one) has a new landing_id, its old rows are deleted and
    it is landed again; a file gone from the folder loses its rows; an unchanged file is not read.
    A source whose contract columns changed, and every source under `--full-refresh`, is landed
    again from scratch. Base staging models (incremental) process only the file versions they
    have not seen (landed_rows, validate_rows).

    A missing or empty folder gives an empty table and a warning, so a project can start with a
    few sources; a missing raw directory is one warning, and a folder that is no source's (a typo,
    another case) is named in a warning.
-#}
{% macro land_raw_sources() %}
    {{ return(adapter.dispatch('land_raw_sources', 'portrait')()) }}
{% endmacro %}

{% macro default__land_raw_sources() %}
    {{ exceptions.raise_compiler_error(
        "Raw file landing is implemented for DuckDB and Spark only; on " ~ target.type
        ~ " declare the raw sources as external tables and remove the on-run-start hook.") }}
{% endmacro %}

{% macro duckdb__land_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_dir = raw_directory() -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- do run_query('create table if not exists raw._landed_files (source_folder varchar, path varchar, landing_id varchar, size_bytes bigint, checksum varchar, landed_rows bigint, landed_at timestamptz)') -%}
    {%- set nodes = _raw_source_nodes() -%}
    {%- set found_folders = fromjson(run_query('select portrait_raw_folders(' ~ sql_string(raw_dir) ~ ')').columns[0].values()[0]) -%}
    {%- do _raw_warn_folders(raw_dir, found_folders, nodes) -%}
    {%- set counts = {'landed': 0, 'removed': 0, 'unchanged': 0} -%}
    {%- for node in nodes -%}
        {%- set columns = node.columns.keys() | list -%}
        {%- set on_disk = {} -%}
        {%- for file, format in _raw_files(raw_dir ~ '/' ~ node.identifier) -%}
            {%- if _raw_is_data_file(file, format) -%}
                {%- set prepared = _raw_prepared_file(file) -%}
                {%- do on_disk.update({file: {'landing_id': _raw_landing_id(file, prepared, columns), 'prepared': prepared}}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not on_disk and found_folders is not none -%}{%- do _raw_warn_empty(raw_dir, node) -%}{%- endif -%}
        {%- set landed = _raw_landed_table(node.identifier, columns) -%}
        {%- for path, landing_id in landed.items() if on_disk.get(path, {}).get('landing_id') != landing_id -%}
            {%- do _raw_remove_file(node.identifier, path) -%}
            {%- do counts.update({'removed': counts.removed + 1}) -%}
        {%- endfor -%}
        {%- for path, file in on_disk.items() -%}
            {%- if landed.get(path) == file.landing_id -%}
                {%- do counts.update({'unchanged': counts.unchanged + 1}) -%}
            {%- else -%}
                {%- do _raw_land_file(node.identifier, path, file.prepared, file.landing_id, columns) -%}
                {%- do counts.update({'landed': counts.landed + 1}) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- do log('Raw landing: ' ~ counts.landed ~ ' file(s) landed, ' ~ counts.removed ~ ' removed or replaced, '
        ~ counts.unchanged ~ ' unchanged.', info=true) -%}
    {{ return('') }}
{% endmacro %}


{#-
    The landed table of one source folder, made ready to receive files: created (from a view of an
    earlier version too), or created again empty under --full-refresh or when its columns are not
    the contract's. Returns {path: landing_id} of the files already landed in it.
-#}
{% macro _raw_landed_table(identifier, columns) -%}
    {%- set relation = 'raw.' ~ adapter.quote(identifier) -%}
    {%- set expected = columns + ['_source_file', '_source_row', '_raw_line', '_malformed_reason', '_landing_id'] -%}
    {%- set found = run_query("select table_type, string_agg(column_name, ',' order by ordinal_position) from information_schema.tables join information_schema.columns using (table_catalog, table_schema, table_name) where table_schema = 'raw' and table_name = " ~ sql_string(identifier) ~ " group by all") -%}
    {%- set is_current = found.rows | length == 1 and found.rows[0][0] == 'BASE TABLE' and found.rows[0][1] == expected | join(',') -%}
    {%- if flags.FULL_REFRESH or not is_current -%}
        {%- if found.rows | length == 1 and found.rows[0][0] == 'VIEW' -%}
            {%- do run_query('drop view ' ~ relation) -%}
        {%- endif -%}
        {%- do run_query('create or replace table ' ~ relation ~ ' as select *, null::varchar as _landing_id from (' ~ _raw_empty_select(columns) ~ ')') -%}
        {%- do run_query('delete from raw._landed_files where source_folder = ' ~ sql_string(identifier)) -%}
        {{ return({}) }}
    {%- endif -%}
    {%- set landed = run_query('select path, landing_id from raw._landed_files where source_folder = ' ~ sql_string(identifier)) -%}
    {%- set by_path = {} -%}
    {%- for row in landed.rows -%}
        {%- do by_path.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {{ return(by_path) }}
{%- endmacro %}


{#- Deletes the rows of one file from a landed table and forgets the file. -#}
{% macro _raw_remove_file(identifier, path) -%}
    {%- do run_query('delete from raw.' ~ adapter.quote(identifier) ~ ' where _source_file = ' ~ sql_string(path)) -%}
    {%- do run_query('delete from raw._landed_files where source_folder = ' ~ sql_string(identifier) ~ ' and path = ' ~ sql_string(path)) -%}
{%- endmacro %}


{#-
    Lands one file (prepared by _raw_prepared_file) into its source's table and records it in
    raw._landed_files. Rows of an earlier version of the path are deleted first, so a run that
    stopped half-way is repaired by the next one.
-#}
{% macro _raw_land_file(identifier, path, prepared, landing_id, columns) -%}
    {%- do _raw_remove_file(identifier, path) -%}
    {%- set inserted = run_query('insert into raw.' ~ adapter.quote(identifier) ~ ' by name select *, '
        ~ sql_string(landing_id) ~ ' as _landing_id from (' ~ _raw_file_select(path, prepared, columns) ~ ')') -%}
    {%- do run_query('insert into raw._landed_files values (' ~ sql_string(identifier) ~ ', ' ~ sql_string(path) ~ ', '
        ~ sql_string(landing_id) ~ ', ' ~ prepared.size ~ ', ' ~ (sql_string(prepared.checksum) if prepared.checksum else 'null') ~ ', '
        ~ inserted.columns[0].values()[0] ~ ', now())') -%}
{%- endmacro %}


{#-
    Spark: every source folder is landed again on every run into a Parquet table raw.<folder>
    (dropped and created from one query over its files), with the same rows and values as on
    DuckDB. Files are listed, decoded and described by the same Python code (portrait/raw_files.py)
    run as a Spark script transformation (portrait/spark_landing.py, with the Python named by
    $PORTRAIT_PYTHON, default python3, which must import portrait); decoded copies are kept in
    raw_decoded beside the warehouse ($PORTRAIT_SPARK_WAREHOUSE). Spark then reads each file's
    bytes (binaryFile) or Parquet rows. raw._landed_files is written again whole with the same
    columns (landing_id the same MD5 of path, checksum and contract columns as on DuckDB).
-#}
{% macro spark__land_raw_sources() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set raw_dir = raw_directory() -%}
    {%- set nodes = _raw_source_nodes() -%}
    {%- set folders = {} -%}
    {%- for node in nodes -%}
        {%- do folders.update({node.identifier: raw_dir ~ '/' ~ node.identifier}) -%}
    {%- endfor -%}
    {%- set described = _raw_spark_describe(folders) -%}
    {%- set found_folders = described.found_folders -%}
    {%- do _raw_warn_folders(raw_dir, found_folders, nodes) -%}
    {%- do run_query('create schema if not exists raw') -%}
    {%- set ledger = [] -%}
    {%- for node in nodes -%}
        {%- set columns = node.columns.keys() | list -%}
        {%- set selects = [] -%}
        {%- for path, format, prepared in described.files[node.identifier] -%}
            {%- if _raw_is_data_file(path, format) -%}
                {%- set landing_id = _raw_landing_id(path, prepared, columns) -%}
                {%- do selects.append('select *, ' ~ sql_string(landing_id) ~ ' as _landing_id from ('
                    ~ _raw_file_select(path, prepared, columns) ~ ')') -%}
                {%- do ledger.append('select ' ~ sql_string(node.identifier) ~ ' as source_folder, ' ~ sql_string(path) ~ ' as path, '
                    ~ sql_string(landing_id) ~ ' as landing_id, cast(' ~ prepared.size ~ ' as bigint) as size_bytes, '
                    ~ (sql_string(prepared.checksum) if prepared.checksum else 'cast(null as string)') ~ ' as checksum') -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if not selects and found_folders is not none -%}{%- do _raw_warn_empty(raw_dir, node) -%}{%- endif -%}
        {%- if not selects -%}
            {%- do selects.append('select *, cast(null as string) as _landing_id from (' ~ _raw_empty_select(columns) ~ ')') -%}
        {%- endif -%}
        {%- set relation = 'raw.' ~ adapter.quote(node.identifier) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query('create table ' ~ relation ~ ' using parquet as ' ~ selects | join('\nunion all\n')) -%}
    {%- endfor -%}
    {%- set counted = [] -%}
    {%- for node in nodes -%}
        {%- do counted.append('select _source_file, count(*) as landed_rows from raw.' ~ adapter.quote(node.identifier) ~ ' group by _source_file') -%}
    {%- endfor -%}
    {%- do run_query('drop table if exists raw._landed_files') -%}
    {%- set files = ledger if ledger else ['select cast(null as string) as source_folder, cast(null as string) as path, cast(null as string) as landing_id, cast(null as bigint) as size_bytes, cast(null as string) as checksum where false'] -%}
    {%- do run_query('create table raw._landed_files using parquet as select files.*, coalesce(counted.landed_rows, 0) as landed_rows, current_timestamp() as landed_at from ('
        ~ files | join(' union all ') ~ ') as files left join (' ~ counted | join(' union all ') ~ ') as counted on counted._source_file = files.path') -%}
    {%- do log('Raw landing: ' ~ ledger | length ~ ' file(s) landed into ' ~ nodes | length ~ ' table(s).', info=true) -%}
    {{ return('') }}
{% endmacro %}


{#-
    Spark: the files of each folder of `folders` ({identifier: path}) listed, decoded and described
    by portrait/spark_landing.py, run as a script transformation with $PORTRAIT_PYTHON (default
    python3; it must import portrait). Returns {found_folders: the raw directory's folders or none
    when it is missing, files: {identifier: [[path, format, prepared]]}}; decoded copies are kept
    in raw_decoded beside $PORTRAIT_SPARK_WAREHOUSE.
-#}
{% macro _raw_spark_describe(folders) -%}
    {%- set warehouse = env_var('PORTRAIT_SPARK_WAREHOUSE', 'build/spark/warehouse').rstrip('/') -%}
    {%- set request = tojson({'raw_dir': raw_directory(), 'cache_dir': warehouse ~ '/../raw_decoded', 'folders': folders}) -%}
    {%- set command = env_var('PORTRAIT_PYTHON', 'python3') ~ ' -m portrait.spark_landing' -%}
    {{ return(fromjson(run_query('select transform(request) using ' ~ sql_string(command)
        ~ ' as (described string) from (select ' ~ sql_string(request) ~ ' as request)').columns[0].values()[0])) }}
{%- endmacro %}


{#- The raw sources (schema raw); a compile error names one that declares no contract columns. -#}
{% macro _raw_source_nodes() -%}
    {%- set nodes = graph.sources.values() | selectattr('schema', 'equalto', 'raw') | list -%}
    {%- for node in nodes if node.columns | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Source '" ~ node.source_name ~ "." ~ node.name ~ "' declares no columns: "
            ~ "list its contract columns in the source YAML.") }}
    {%- endfor -%}
    {{ return(nodes) }}
{%- endmacro %}


{#- Warns when the raw directory is missing (found_folders none) or holds folders that are no source's. -#}
{% macro _raw_warn_folders(raw_dir, found_folders, nodes) -%}
    {%- set source_folders = nodes | map(attribute='identifier') | list -%}
    {%- if found_folders is none -%}
        {%- do exceptions.warn("The raw directory '" ~ raw_dir ~ "' ($PORTRAIT_RAW_DIR) does not exist: every source is empty.") -%}
    {%- endif -%}
    {%- for folder in found_folders or [] if folder not in source_folders -%}
        {%- do exceptions.warn("Raw folder '" ~ raw_dir ~ "/" ~ folder ~ "' is not a source and is not read"
            ~ (" (did you mean '" ~ folder | lower ~ "'?)" if folder | lower in source_folders else '')
            ~ "; source folders: " ~ source_folders | sort | join(', ')) -%}
    {%- endfor -%}
{%- endmacro %}


{#- Warns that a source's folder is missing or holds no data file. -#}
{% macro _raw_warn_empty(raw_dir, node) -%}
    {%- do exceptions.warn("Raw folder '" ~ raw_dir ~ '/' ~ node.identifier ~ "' is missing or has no data files: source '"
        ~ node.source_name ~ "." ~ node.name ~ "' is empty.") -%}
{%- endmacro %}


{#- True when a listed file has a data format (CSV, JSON Lines, Parquet); warns, naming it, when not. -#}
{% macro _raw_is_data_file(path, format) -%}
    {%- if format is none -%}
        {%- do exceptions.warn("Raw file '" ~ path ~ "' is not CSV, JSON Lines or Parquet; it is not read (save a workbook as CSV).") -%}
    {%- endif -%}
    {{ return(format is not none) }}
{%- endmacro %}


{#- The landing id of a file version: the MD5 of its path, its checksum and the source's contract columns. -#}
{% macro _raw_landing_id(path, prepared, columns) -%}
    {{ return(local_md5(path ~ '|' ~ prepared.checksum ~ '|' ~ columns | join(','))) }}
{%- endmacro %}
