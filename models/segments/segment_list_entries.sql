{#-
    Every row of every list file a static segment names, with the person it points to:
    row_status 'matched' (one_id found through OneID), 'unmatched' (a valid identifier nobody
    known holds) or 'invalid' (with the reason). Nothing in a list is dropped unseen; a list file
    that does not exist is one invalid row (missing_list_file, no source_row).
-#}
{%- set files = segment_list_files(segment_definitions() | selectattr('status', 'equalto', 'active') | list) %}

with list_rows as (

    {% if files.found -%}
        select
            regexp_extract(filename, '([^/]+)[.]csv$', 1) as list_name,
            row_number() over (partition by filename) as source_row,
            identifier_type as raw_identifier_type,
            identifier as raw_identifier
        from read_csv(
                {{ _sql_list(files.found.values() | list) }},
                header = true, all_varchar = true, filename = true, union_by_name = true
            )
    {%- else -%}
        select
            cast(null as varchar) as list_name,
            cast(null as bigint) as source_row,
            cast(null as varchar) as raw_identifier_type,
            cast(null as varchar) as raw_identifier
        where false
    {%- endif %}

),

missing_files as (

    select unnest({{ _sql_list(files.missing) }}) as list_name

),

identifier_people as (

    select * from {{ ref('int_identifier_people') }}

),

normalised as (

    select
        list_name,
        source_row,
        raw_identifier_type,
        raw_identifier,
        {{ normalize_code('raw_identifier_type') }} as identifier_type,
        {{ normalize_identifier(normalize_code('raw_identifier_type'), 'raw_identifier') }} as identifier
    from list_rows

),

known_types as (

    select distinct identifier_type from identifier_people

),

entries as (

    select
        normalised.list_name,
        normalised.source_row,
        normalised.raw_identifier_type,
        normalised.raw_identifier,
        normalised.identifier_type,
        normalised.identifier,
        identifier_people.one_id,
        case
            when normalised.identifier_type is null then 'invalid'
            when normalised.identifier_type not in (select known_types.identifier_type from known_types) then 'invalid'
            when normalised.identifier is null then 'invalid'
            when identifier_people.one_id is null then 'unmatched'
            else 'matched'
        end as row_status,
        case
            when normalised.identifier_type is null then 'missing_identifier_type'
            when normalised.identifier_type not in (select known_types.identifier_type from known_types) then 'unknown_identifier_type'
            when normalised.identifier is null then 'invalid_identifier'
        end as invalid_reason
    from normalised
    left join identifier_people
        on
            normalised.identifier_type = identifier_people.identifier_type
            and normalised.identifier = identifier_people.identifier

    union all

    select
        list_name,
        cast(null as bigint) as source_row,
        cast(null as varchar) as raw_identifier_type,
        cast(null as varchar) as raw_identifier,
        cast(null as varchar) as identifier_type,
        cast(null as varchar) as identifier,
        cast(null as varchar) as one_id,
        'invalid' as row_status,
        'missing_list_file' as invalid_reason
    from missing_files

)

select * from entries
