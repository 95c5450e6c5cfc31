{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}
{#- Status words, compared after normalize_code (lower-cased, trimmed); anything else is invalid_status. -#}
{%- set granted_words = [
    'granted', 'grant', 'opt_in', 'opt-in', 'optin', 'subscribed', 'subscribe',
    'yes', 'y', 'true', '1', '同意', '已同意', '订阅', '授权'
] -%}
{%- set revoked_words = [
    'revoked', 'revoke', 'opt_out', 'opt-out', 'optout', 'unsubscribed', 'unsubscribe', 'withdrawn',
    'no', 'n', 'false', '0', '退订', '已退订', '取消订阅', '拒绝', '撤回'
] %}

with source as (

    {{ landed_rows(source('consent', 'consents')) }}

),

renamed as (

    select
        {{ normalize_code('identifier_type') }} as identifier_type,
        {{ normalize_identifier(normalize_code('identifier_type'), 'identifier') }} as identifier,
        {{ normalize_code('channel') }} as channel,
        case
            when {{ normalize_code('status') }} in ('{{ granted_words | join("', '") }}') then true
            when {{ normalize_code('status') }} in ('{{ revoked_words | join("', '") }}') then false
        end as is_granted,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_identifier_type', "identifier_type is null"],
            ['invalid_identifier', "identifier is null"],
            ['missing_channel', "channel is null"],
            ['invalid_status', "is_granted is null"],
            ['invalid_updated_at', unparsed('updated_at', 'updated_at')],
            ['missing_updated_at', "updated_at is null"]
        ]
    ) }}

)

select * from validated
