{#-
    The list files static segments name (`list: <name>` -> <folder>/<name>.csv), where <folder>
    is $PORTRAIT_SEGMENT_LISTS_DIR, default segment_lists/ beside the raw folder. A named file
    that does not exist stops the build naming the segment.
-#}
{% macro segment_list_files(segments) -%}
    {%- set folder = env_var('PORTRAIT_SEGMENT_LISTS_DIR', raw_directory() ~ '/../segment_lists').rstrip('/') -%}
    {%- set files = {} -%}
    {%- for segment in segments if segment.list -%}
        {%- set path = folder ~ '/' ~ segment.list ~ '.csv' -%}
        {%- if execute and run_query('select count(*) from glob(' ~ _sql_string(path) ~ ')').columns[0].values()[0] == 0 -%}
            {%- do _segment_error(segment, "field 'list'", 'names ' ~ path ~ ', which does not exist') -%}
        {%- endif -%}
        {%- do files.update({segment.list: path}) -%}
    {%- endfor -%}
    {{ return(files) }}
{%- endmacro %}
