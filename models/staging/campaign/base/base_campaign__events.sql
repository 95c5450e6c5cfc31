{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('campaign', 'events')) }}

),

renamed as (

    select
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('segment_code') }} as segment_code,
        {{ clean_text('variant') }} as variant,
        {{ normalize_code('channel') }} as channel,
        {{ normalize_code('identifier_type') }} as identifier_type,
        {{ normalize_identifier(normalize_code('identifier_type'), 'identifier') }} as identifier,
        {{ normalize_code('event_name') }} as event_name,
        {{ parse_amount('revenue') }} as revenue,
        coalesce(lower({{ clean_text('variant') }}) = 'holdout', false) as is_holdout,
        {{ parse_timestamp('event_time') }} as event_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_campaign_id', "campaign_id is null"],
            ['missing_identifier_type', "identifier_type is null"],
            ['invalid_identifier', "identifier is null"],
            ['missing_variant', "variant is null"],
            ['invalid_event_name', "event_name is null or event_name not in ('assigned', 'sent', 'delivered', 'opened', 'clicked', 'converted')"],
            ['invalid_event_time', unparsed('event_at', 'event_time')],
            ['missing_event_time', "event_at is null"],
            ['invalid_revenue', unparsed('revenue', 'revenue') ~ " or revenue < 0"]
        ]
    ) }}

)

select * from validated
