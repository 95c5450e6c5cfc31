{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('wechat', 'users')) }}

),

renamed as (

    select
        {{ clean_text('appid') }} as appid,
        {{ normalize_identifier("'openid'", 'openid') }} as openid,
        {{ normalize_identifier("'unionid'", 'unionid') }} as unionid,
        {{ normalize_identifier("'phone'", 'phone') }} as phone,
        {{ normalize_code('app_type') }} as app_type,
        case when {{ normalize_code('subscribe_status') }} in ('1', 'true', 'subscribe', 'subscribed', 'yes') then true when {{ normalize_code('subscribe_status') }} in ('0', 'false', 'unsubscribe', 'unsubscribed', 'no') then false end as is_subscribed,
        {{ parse_timestamp('subscribed_at') }} as subscribed_at,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_appid', "appid is null"],
            ['missing_openid', "openid is null"],
            ['invalid_subscribed_at', unparsed('subscribed_at', 'subscribed_at')],
            ['invalid_updated_at', unparsed('updated_at', 'updated_at')]
        ],
        newest_first='updated_at desc nulls last'
    ) }}

)

select * from validated
