{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('crm', 'members')) }}

),

renamed as (

    select
        {{ normalize_identifier("'member_id'", 'member_id') }} as member_id,
        {{ normalize_identifier("'phone'", 'phone') }} as phone,
        {{ normalize_identifier("'email'", 'email') }} as email,
        {{ clean_text('name') }} as member_name,
        {{ normalize_gender('gender') }} as gender,
        {{ clean_text('province') }} as province,
        {{ clean_text('city') }} as city,
        {{ normalize_code('register_channel') }} as register_channel,
        {{ clean_text('register_store_id') }} as register_store_id,
        {{ clean_text('member_level') }} as member_level,
        {{ parse_date('birthday') }} as birth_date,
        {{ parse_timestamp('registered_at') }} as registered_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_member_id', "member_id is null"],
            ['invalid_registered_at', unparsed('registered_at', 'registered_at')],
            ['invalid_updated_at', unparsed('updated_at', 'updated_at')]
        ],
        newest_first='updated_at desc nulls last'
    ) }}

)

select * from validated
