{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('service', 'tickets')) }}

),

renamed as (

    select
        {{ clean_text('ticket_id') }} as ticket_id,
        {{ normalize_identifier("'member_id'", 'member_id') }} as member_id,
        {{ normalize_identifier("'phone'", 'phone') }} as phone,
        {{ normalize_code('channel') }} as channel,
        {{ normalize_code('category') }} as category,
        case when {{ parse_integer('rating') }} between 1 and 5 then {{ parse_integer('rating') }} end as rating,
        {{ parse_timestamp('created_at') }} as created_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_ticket_id', "ticket_id is null"],
            ['invalid_created_at', unparsed('created_at', 'created_at')],
            ['missing_created_at', "created_at is null"]
        ]
    ) }}

)

select * from validated
