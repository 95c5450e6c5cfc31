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
-#}
{% macro validate_rows(relation, key_columns=none, checks=[], newest_first=none) -%}
    {%- if key_columns is none -%}
        {#- a unit test renders the model it tests: `model` is then the unit test naming it -#}
        {%- set model_name = (model.get('tested_node_unique_id') or model.unique_id).split('.')[-1] -%}
        {%- set registered = source_registry() | selectattr('base_model', 'equalto', model_name) | list -%}
        {%- if not registered -%}
            {{ exceptions.raise_compiler_error("validate_rows in " ~ model_name ~ ": no entry of var source_registry (dbt_project.yml) has this base model; register its source or pass key_columns.") }}
        {%- endif -%}
        {%- set key_columns = registered[0].key -%}
    {%- endif -%}
    {%- if key_columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("validate_rows: key_columns must name at least one column.") }}
    {%- endif -%}
    {%- for check in checks if check | length != 2 -%}
        {{ exceptions.raise_compiler_error("validate_rows: each check is [reason_code, condition]; got " ~ check) }}
    {%- endfor -%}
    select
        * exclude (_raw, _raw_line, _malformed_reason, _duplicate_rank, _check_reason, _version_rank),
        case
            when _duplicate_rank > 1 then 'duplicate'
            when _check_reason is not null or _version_rank > 1 then 'quarantined'
            else 'staged'
        end as row_status,
        case
            when _duplicate_rank = 1 then coalesce(_check_reason, case when _version_rank > 1 then 'superseded_version' end)
        end as quarantine_reason,
        case
            when _duplicate_rank = 1 and (_check_reason is not null or _version_rank > 1)
                then coalesce(_raw_line, to_json(_raw)::varchar)
        end as raw_record
    from (
        select
            *,
            case
                when _duplicate_rank = 1 and _check_reason is null then row_number() over (
                    partition by {{ key_columns | join(', ') }}, (_duplicate_rank = 1 and _check_reason is null)
                    order by {{ newest_first ~ ', ' if newest_first }}_source_file desc, _source_row desc
                )
            end as _version_rank
        from (
            select
                *,
                row_number() over (
                    partition by _raw, case when _malformed_reason is not null then _raw_line end
                    order by _source_file, _source_row
                ) as _duplicate_rank,
                case
                    when _malformed_reason is not null then 'malformed_line_' || _malformed_reason
                    {%- for reason, condition in checks %}
                    when {{ condition }} then {{ sql_string(reason) }}
                    {%- endfor %}
                end as _check_reason
            from {{ relation }}
        )
    )
{%- endmacro %}
