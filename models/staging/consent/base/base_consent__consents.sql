{{ config(materialized='table') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    select * from {{ source('consent', 'consents') }}

),

renamed as (

    select
        {{ normalize_code('identifier_type') }} as identifier_type,
        {{ normalize_identifier(normalize_code('identifier_type'), 'identifier') }} as identifier,
        {{ normalize_code('channel') }} as channel,
        case {{ normalize_code('status') }} when 'granted' then true when 'revoked' then false end as is_granted,
        {{ parse_timestamp('updated_at') }} as updated_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        key_columns=['identifier_type', 'identifier', 'channel', 'updated_at'],
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
