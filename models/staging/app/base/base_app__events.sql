{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('app', 'events')) }}

),

renamed as (

    select
        {{ clean_text('event_id') }} as event_id,
        {{ normalize_identifier(normalize_code('device_id_type'), 'device_id') }} as device_id,
        {{ normalize_identifier("'member_id'", 'member_id') }} as member_id,
        {{ normalize_code('device_id_type') }} as device_id_type,
        {{ normalize_code('event_name') }} as event_name,
        {{ clean_text('sku_id') }} as sku_id,
        {{ clean_text('content_id') }} as content_id,
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
            ['missing_identifier', "device_id is null and member_id is null"],
            ['missing_event_name', "event_name is null"],
            ['invalid_event_time', unparsed('event_at', 'event_time')],
            ['missing_event_time', "event_at is null"]
        ]
    ) }}

)

select * from validated
