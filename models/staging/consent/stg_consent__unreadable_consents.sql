-- Consent rows quarantined because their status or time cannot be read, that still name an
-- identifier and a channel. Consent fails closed: activation counts each as an opt-out.
with base as (

    select * from {{ ref('base_consent__consents') }}

),

unreadable as (

    select
        identifier_type,
        identifier,
        channel,
        updated_at,
        quarantine_reason
    from base
    where
        row_status = 'quarantined'
        and quarantine_reason in ('invalid_status', 'invalid_updated_at', 'missing_updated_at')
        and identifier_type is not null
        and identifier is not null
        and channel is not null

)

select * from unreadable
