{{ config(materialized='table') }}

with source as (

    select * from {{ source('ads', 'leads') }}

),

renamed as (

    select
        {{ normalize_code('platform') }} as platform,
        {{ clean_text('lead_id') }} as lead_id,
        {{ normalize_phone('phone') }} as phone,
        case when {{ normalize_code('device_id_type') }} = 'idfa' then upper({{ clean_text('device_id') }}) else lower({{ clean_text('device_id') }}) end as device_id,
        {{ normalize_code('device_id_type') }} as device_id_type,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        key_columns=['platform', 'lead_id'],
        checks=[
            ['missing_platform', "platform is null"],
            ['missing_lead_id', "lead_id is null"],
            ['invalid_created_at', unparsed('created_at', 'created_at')],
            ['missing_created_at', "created_at is null"]
        ]
    ) }}

)

select * from validated
