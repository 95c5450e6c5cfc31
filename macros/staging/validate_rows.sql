{#-
    Sorts every row of a base staging model into exactly one `row_status`:
    - 'duplicate': an exact copy (same raw values) of an earlier row, removed;
    - 'quarantined': a malformed line, a failed check, or an older version of a key
      (`superseded_version`), with `quarantine_reason` and the original `raw_record`;
    - 'staged': everything else; at most one staged row per key.

    relation:     the CTE with cleaned columns and the columns of raw_record()
    key_columns:  the columns identifying a record (default: the `key` of this base model's entry
                  in the source registry, var source_registry)
    checks:       ordered list of [reason_code, condition]; the first condition that holds names
                  the reason
    newest_first: order by which the staged version of a key is chosen (file order breaks ties)

    Besides the relation's columns and the three above, each row keeps what an incremental run
    needs to judge it again: `_check_reason` (the first failed check) and `_landing_id` (its file
    version).

    Incremental runs (the base model exists; `relation` then holds only the rows of file versions
    the model has not processed, see landed_rows): a row's status depends only on the rows sharing
    its raw record (the first copy wins) or its key (the newest version wins). Identical raw
    records have the same key, as every column is cleaned from them, so a record's copies are all
    in its key group (null keys included: keys are matched with `is not distinct from`). The rows
    judged again are therefore the arrived rows plus the rows kept from earlier runs whose key is
    the key of an arrived row or of a departed one (its file version is no longer landed: replaced
    or removed); their raw values are read back from the landed table. Every group touched is
    judged whole, so the statuses equal a full build's; the landed_rows incremental strategy then
    replaces those rows and drops the departed ones.
-#}
{% macro validate_rows(relation, key_columns=none, checks=[], newest_first=none) -%}
    {#- a unit test renders the model it tests: `model` is then the unit test naming it -#}
    {%- set model_name = (model.get('tested_node_unique_id') or model.unique_id).split('.')[-1] -%}
    {%- set registered = source_registry() | selectattr('base_model', 'equalto', model_name) | list -%}
    {%- set incremental = is_incremental() -%}
    {%- if not registered and (key_columns is none or incremental) -%}
        {{ exceptions.raise_compiler_error("validate_rows in " ~ model_name ~ ": no entry of var source_registry (dbt_project.yml) has this base model; register its source" ~ (" or pass key_columns." if not incremental else ".")) }}
    {%- endif -%}
    {%- if key_columns is none -%}
        {%- set key_columns = registered[0].key -%}
    {%- endif -%}
    {%- if incremental and execute and '_landing_id' not in adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
        {{ exceptions.raise_compiler_error(model_name ~ " was built before staging became incremental (it has no _landing_id): run `dbt build --full-refresh` once.") }}
    {%- endif -%}
    {%- if key_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("validate_rows: key_columns must name at least one column.") }}
    {%- endif -%}
    {%- for check in checks if check | length != 2 -%}
        {{ exceptions.raise_compiler_error("validate_rows: each check is [reason_code, condition]; got " ~ check) }}
    {%- endfor -%}
    {%- set key_match = [] -%}
    {%- for column in key_columns -%}
        {%- do key_match.append('_repeated_keys.' ~ column ~ ' is not distinct from _eligible.' ~ column) -%}
    {%- endfor %}
    with _arrived as (
        select
            *,
            case when _malformed_reason is not null then _raw_line end as _malformed_line,
            case
                when _malformed_reason is not null then 'malformed_line_' || _malformed_reason
                {%- for reason, condition in checks %}
                when {{ condition }} then {{ sql_string(reason) }}
                {%- endfor %}
            end as _check_reason
        from {{ relation }}
    ),
    {%- if incremental %}
    {%- set key_list = key_columns | join(', ') %}
    {%- set landed = source(registered[0].source, registered[0].table) %}

    _departed as (
        select {{ key_list }}
        from {{ this }}
        where _landing_id not in (select landing_id from raw._landed_files)
    ),

    _touched_keys as (
        select distinct {{ key_list }}
        from (select {{ key_list }} from _arrived union all select {{ key_list }} from _departed)
    ),

    _reopened as (
        select *
        from {{ this }} as _previous
        where
            _landing_id in (select landing_id from raw._landed_files)
            and exists (
                select 1 from _touched_keys
                where {% for column in key_columns %}_touched_keys.{{ column }} is not distinct from _previous.{{ column }}{{ ' and ' if not loop.last }}{% endfor %}
            )
    ),

    _reopened_landed as (
        select {{ raw_record() }}
        from {{ landed }} as _landed
        where exists (
            select 1 from _reopened
            where _reopened._source_file = _landed._source_file and _reopened._source_row = _landed._source_row
        )
    ),

    _checked as (
        select * from _arrived
        union all by name
        select
            {{ star_except(['row_status', 'quarantine_reason', 'raw_record'], '_reopened') }},
            _reopened_landed._raw,
            _reopened_landed._raw_line,
            _reopened_landed._malformed_reason,
            case when _reopened_landed._malformed_reason is not null then _reopened_landed._raw_line end as _malformed_line
        from _reopened
        inner join _reopened_landed
            on _reopened._source_file = _reopened_landed._source_file and _reopened._source_row = _reopened_landed._source_row
    ),
    {%- else %}

    _checked as (
        select * from _arrived
    ),
    {%- endif %}

    _copied_records as (
        -- identical raw records (a malformed line by its text too) are rare: only their groups are ranked
        select
            _raw,
            _malformed_line,
            min({{ struct_value([['file', '_source_file'], ['row', '_source_row']]) }}) as _first_copy
        from _checked
        group by _raw, _malformed_line
        having count(*) > 1
    ),

    _deduplicated as (
        select
            _checked.*,
            coalesce(_copied_records._first_copy != {{ struct_value([['file', '_checked._source_file'], ['row', '_checked._source_row']]) }}, false) as _is_copy
        from _checked
        left join _copied_records
            on
                _checked._raw is not distinct from _copied_records._raw
                and _checked._malformed_line is not distinct from _copied_records._malformed_line
    ),

    _eligible as (
        select * from _deduplicated where not _is_copy and _check_reason is null
    ),

    _repeated_keys as (
        -- keys with more than one eligible version: only they are ranked
        select {{ key_columns | join(', ') }}
        from _eligible
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    ),

    _superseded as (
        select
            _source_file,
            _source_row
        from (
            select
                _source_file,
                _source_row,
                row_number() over (
                    partition by {{ key_columns | join(', ') }}
                    order by {{ newest_first ~ ', ' if newest_first }}_source_file desc, _source_row desc
                ) as _version_rank
            from _eligible
            where exists (select 1 from _repeated_keys where {{ key_match | join(' and ') }})
        )
        where _version_rank > 1
    )

    select
        {{ star_except(['_raw', '_raw_line', '_malformed_reason', '_malformed_line', '_is_copy'], '_deduplicated') }},
        case
            when _deduplicated._is_copy then 'duplicate'
            when _deduplicated._check_reason is not null or _superseded._source_row is not null then 'quarantined'
            else 'staged'
        end as row_status,
        case
            when not _deduplicated._is_copy
                then coalesce(_deduplicated._check_reason, case when _superseded._source_row is not null then 'superseded_version' end)
        end as quarantine_reason,
        case
            when not _deduplicated._is_copy and (_deduplicated._check_reason is not null or _superseded._source_row is not null)
                then coalesce(_deduplicated._raw_line, {{ json_text('_deduplicated._raw') }})
        end as raw_record
    from _deduplicated
    left join _superseded
        on
            _deduplicated._source_file = _superseded._source_file
            and _deduplicated._source_row = _superseded._source_row
{%- endmacro %}


{#- The columns validate_rows adds to a base model's rows, which its stg_ model leaves out. -#}
{% macro validate_rows_columns() -%}
    {{ return(['row_status', 'quarantine_reason', 'raw_record', '_check_reason', '_landing_id']) }}
{%- endmacro %}
