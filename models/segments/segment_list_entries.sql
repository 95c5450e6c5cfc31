{#-
    Every row of every list file a static segment names, with the person it points to:
    row_status 'matched' (one_id found through OneID), 'unmatched' (a valid identifier nobody
    known holds) or 'invalid' (with the reason). Files are read like raw CSV sources: source_row is
    the line number and a line that does not parse is an invalid row. Nothing in a list is dropped
    unseen; a list file that does not exist is one invalid row (missing_list_file, no source_row).
-#}
-- depends_on: {{ ref('identifier_types') }}
{%- set files = segment_list_files(segment_definitions() | selectattr('status', 'equalto', 'active') | list) %}

with list_rows as (

    {{ segment_list_rows(files.found) }}

),

missing_files as (

    {%- set missing_rows = [] -%}
    {%- for list_name in files.missing.keys() -%}
        {%- do missing_rows.append([list_name]) -%}
    {%- endfor %}
    {{ values_relation(missing_rows, ['list_name']) }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

normalised as (

    select
        list_name,
        source_row,
        raw_identifier_type,
        raw_identifier,
        malformed_reason,
        {{ normalize_code('raw_identifier_type') }} as identifier_type,
        {{ normalize_identifier(normalize_code('raw_identifier_type'), 'raw_identifier') }} as identifier
    from list_rows

),

known_types as (

    select distinct identifier_type from identifier_people

),

checked as (

    select
        normalised.*,
        case
            when normalised.malformed_reason is not null then 'malformed_line_' || normalised.malformed_reason
            when normalised.identifier_type is null then 'missing_identifier_type'
            when normalised.identifier_type not in (select known_types.identifier_type from known_types)
                then 'unknown_identifier_type'
            when normalised.identifier is null then 'invalid_identifier'
        end as invalid_reason
    from normalised

),

entries as (

    select
        checked.list_name,
        checked.source_row,
        checked.raw_identifier_type,
        checked.raw_identifier,
        checked.identifier_type,
        checked.identifier,
        identifier_people.one_id,
        case
            when checked.invalid_reason is not null then 'invalid'
            when identifier_people.one_id is null then 'unmatched'
            else 'matched'
        end as row_status,
        checked.invalid_reason
    from checked
    left join identifier_people
        on
            checked.identifier_type = identifier_people.identifier_type
            and checked.identifier = identifier_people.identifier

    union all

    select
        list_name,
        cast(null as bigint) as source_row,
        cast(null as string) as raw_identifier_type,
        cast(null as string) as raw_identifier,
        cast(null as string) as identifier_type,
        cast(null as string) as identifier,
        cast(null as string) as one_id,
        'invalid' as row_status,
        'missing_list_file' as invalid_reason
    from missing_files

)

select * from entries
