{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('wechat', 'miniprogram_events')) }}

),

renamed as (

    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('appid') }} as appid,
        {{ normalize_identifier("'openid'", 'openid') }} as openid,
        {{ normalize_identifier("'unionid'", 'unionid') }} as unionid,
        {{ normalize_code('event_name') }} as event_name,
        {{ clean_text('sku_id') }} as sku_id,
        {{ clean_text('content_id') }} as content_id,
        {{ clean_text('page') }} as page,
        {{ parse_json_text(clean_text('properties')) }} as properties,
        {{ parse_timestamp('event_time') }} as event_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_event_id', "event_id is null"],
            ['missing_appid', "appid is null"],
            ['missing_openid', "openid is null"],
            ['missing_event_name', "event_name is null"],
            ['invalid_event_time', unparsed('event_at', 'event_time')],
            ['missing_event_time', "event_at is null"]
        ]
    ) }}

)

select * from validated
