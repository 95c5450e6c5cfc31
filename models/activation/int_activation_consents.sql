{#-
    Consent of each person for each channel (sms, wecom, ads, email). For one identifier and
    channel the latest change by the as_of cut-off wins; a revocation recorded after the cut-off
    counts too (an opt-out is honoured as soon as it is known; a later grant waits for a build
    that reaches it). A person is consented for a channel when at least one of their identifiers
    has a grant for it and none has a revocation: an opt-out on any of a person's identifiers wins.
    A change counts for the identifier's owner at the time of the change (int_identifier_owner_periods):
    a recycled number's grants and opt-outs after a newer member claimed it are the newer member's.
    Identifiers that point to nobody, or to several people, are not attributed.
-#}
with consent_changes as (

    select * from {{ ref('stg_consent__consents') }}

),

owner_periods as (

    select * from {{ ref('int_identifier_owner_periods') }}

),

owned_changes as (

    select
        owner_periods.one_id,
        consent_changes.identifier_type,
        consent_changes.identifier,
        consent_changes.channel,
        consent_changes.is_granted,
        consent_changes.updated_at
    from consent_changes
    inner join owner_periods
        on
            consent_changes.identifier_type = owner_periods.identifier_type
            and consent_changes.identifier = owner_periods.identifier
            and {{ owned_at('owner_periods', 'consent_changes.updated_at') }}

),

identifier_consents as (

    select
        one_id,
        identifier_type,
        identifier,
        channel,
        arg_max(is_granted, updated_at) filter (where updated_at < {{ as_of_cutoff() }}) as is_granted_by_cutoff,
        coalesce(bool_or(not is_granted) filter (where updated_at >= {{ as_of_cutoff() }}), false) as is_revoked_later
    from owned_changes
    group by one_id, identifier_type, identifier, channel

),

identifier_states as (

    select
        one_id,
        identifier_type,
        identifier,
        channel,
        coalesce(is_granted_by_cutoff and not is_revoked_later, false) as is_granted,
        coalesce(not is_granted_by_cutoff or is_revoked_later, false) as is_revoked
    from identifier_consents

),

person_consents as (

    select
        one_id,
        channel,
        count(*) filter (where is_granted) as granted_identifiers,
        count(*) filter (where is_revoked) as revoked_identifiers
    from identifier_states
    group by one_id, channel

),

final as (

    select
        one_id,
        channel,
        granted_identifiers,
        revoked_identifiers,
        granted_identifiers > 0 and revoked_identifiers = 0 as is_consented
    from person_consents

)

select * from final
