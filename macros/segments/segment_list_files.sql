{#-
    The list files static segments name (`list: <name>` -> <folder>/<name>.csv), where <folder>
    is $PORTRAIT_SEGMENT_LISTS_DIR, default segment_lists/ beside the raw folder: {'found':
    {name: path}, 'missing': [names]}. A missing file is a warning naming the segment; it becomes
    a row of segment_list_entries that fails the build's test assert_segment_list_files_exist.
-#}
{% macro segment_list_files(segments) -%}
    {%- set folder = env_var('PORTRAIT_SEGMENT_LISTS_DIR', raw_directory() ~ '/../segment_lists').rstrip('/') -%}
    {%- set files = {'found': {}, 'missing': []} -%}
    {%- for segment in segments if segment.list -%}
        {%- set path = folder ~ '/' ~ segment.list ~ '.csv' -%}
        {%- if not execute or run_query('select count(*) from glob(' ~ _sql_string(path) ~ ')').columns[0].values()[0] > 0 -%}
            {%- do files.found.update({segment.list: path}) -%}
        {%- else -%}
            {%- do exceptions.warn("Segment definition '" ~ segment.code ~ "' (" ~ segment.defined_in ~ "): field 'list' names " ~ path ~ ', which does not exist') -%}
            {%- do files.missing.append(segment.list) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}
