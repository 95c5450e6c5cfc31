{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('wecom', 'contacts')) }}

),

renamed as (

    select
        {{ normalize_identifier("'external_userid'", 'external_userid') }} as external_userid,
        {{ clean_text('staff_userid') }} as staff_userid,
        {{ normalize_identifier("'unionid'", 'unionid') }} as unionid,
        {{ parse_timestamp('added_at') }} as added_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_external_userid', "external_userid is null"],
            ['missing_staff_userid', "staff_userid is null"],
            ['invalid_added_at', unparsed('added_at', 'added_at')]
        ],
        newest_first='added_at desc nulls last'
    ) }}

)

select * from validated
