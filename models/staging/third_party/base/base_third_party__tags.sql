{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('third_party', 'tags')) }}

),

renamed as (

    select
        {{ normalize_code('provider') }} as tag_provider,
        {{ normalize_code('identifier_type') }} as identifier_type,
        {{ normalize_identifier(normalize_code('identifier_type'), 'identifier') }} as identifier,
        {{ normalize_code('tag_code') }} as tag_code,
        {{ clean_text('tag_value') }} as tag_value,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_provider', "tag_provider is null"],
            ['missing_identifier_type', "identifier_type is null"],
            ['invalid_identifier', "identifier is null"],
            ['missing_tag_code', "tag_code is null"],
            ['invalid_updated_at', unparsed('updated_at', 'updated_at')]
        ],
        newest_first='updated_at desc nulls last'
    ) }}

)

select * from validated
