{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('ads', 'leads')) }}

),

renamed as (

    select
        {{ normalize_code('platform') }} as platform,
        {{ clean_text('lead_id') }} as lead_id,
        {{ normalize_identifier("'phone'", 'phone') }} as phone,
        {{ normalize_identifier(normalize_code('device_id_type'), 'device_id') }} as device_id,
        {{ normalize_code('device_id_type') }} as device_id_type,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_platform', "platform is null"],
            ['missing_lead_id', "lead_id is null"],
            ['invalid_created_at', unparsed('created_at', 'created_at')],
            ['missing_created_at', "created_at is null"]
        ]
    ) }}

)

select * from validated
