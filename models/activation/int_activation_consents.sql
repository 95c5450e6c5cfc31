{#-
    Consent of each person for each channel (sms, wecom, ads, email). For one identifier and
    channel the latest change by the as_of cut-off wins; a revocation recorded after the cut-off
    counts too (an opt-out is honoured as soon as it is known; a later grant waits for a build
    that reaches it). A person is consented for a channel when at least one of their identifiers
    has a grant for it and none has a revocation: an opt-out on any of a person's identifiers wins.
    A change counts for the identifier's owner at the time of the change (identifier_owner_periods):
    a recycled number's grants and opt-outs after a newer member claimed it are the newer member's.
    Identifiers that point to nobody, or to several people, are not attributed.
    Consent fails closed: a consent row quarantined because its status or its time cannot be read
    (invalid_status, invalid_updated_at, missing_updated_at) but naming an identifier and a channel
    counts as an opt-out for them, whenever it happened, like a revocation after the cut-off. It
    goes to the identifier's owner at its time, or to the current owner when it has no readable time.
-#}
with consent_changes as (

    select * from {{ ref('stg_consent__consents') }}

),

unreadable_changes as (

    select * from {{ ref('stg_consent__unreadable_consents') }}

),

owner_periods as (

    select * from {{ ref('identifier_owner_periods') }}

),

all_changes as (

    select
        identifier_type,
        identifier,
        channel,
        is_granted,
        updated_at,
        false as is_unreadable
    from consent_changes
    union all
    select
        identifier_type,
        identifier,
        channel,
        false as is_granted,
        updated_at,
        true as is_unreadable
    from unreadable_changes

),

owned_changes as (

    select
        owner_periods.one_id,
        all_changes.identifier_type,
        all_changes.identifier,
        all_changes.channel,
        all_changes.is_granted,
        all_changes.updated_at,
        all_changes.is_unreadable
    from all_changes
    inner join owner_periods
        on
            all_changes.identifier_type = owner_periods.identifier_type
            and all_changes.identifier = owner_periods.identifier
            and (
                (all_changes.updated_at is null and owner_periods.valid_to is null)
                or (all_changes.updated_at is not null and {{ owned_at('owner_periods', 'all_changes.updated_at') }})
            )

),

identifier_consents as (

    select
        one_id,
        identifier_type,
        identifier,
        channel,
        max_by(is_granted, updated_at) filter (
            where not is_unreadable and updated_at < {{ as_of_cutoff() }}
        ) as is_granted_by_cutoff,
        coalesce(
            bool_or(not is_granted) filter (where is_unreadable or updated_at >= {{ as_of_cutoff() }}), false
        ) as is_revoked_later
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
