{#-
    The `landed_rows` incremental strategy of the base staging models (dbt's custom strategy hook:
    `incremental_strategy='landed_rows'`). `arg_dict.temp_relation` holds the rows validate_rows
    judged in this run, keyed by (_source_file, _source_row). The target loses those rows and
    every row of a file version no longer in raw._landed_files (a replaced or removed file), then
    gains the judged rows: afterwards it equals a full build over the landed files.
-#}
{% macro get_incremental_landed_rows_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set judged = arg_dict['temp_relation'] -%}
    {%- set columns = arg_dict['dest_columns'] | map(attribute='quoted') | join(', ') -%}
    delete from {{ target }} as _target
    using {{ judged }} as _judged
    where _target._source_file = _judged._source_file and _target._source_row = _judged._source_row;

    delete from {{ target }}
    where _landing_id not in (select landing_id from raw._landed_files);

    insert into {{ target }} ({{ columns }})
    select {{ columns }} from {{ judged }}
{%- endmacro %}
