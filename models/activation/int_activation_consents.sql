{#-
    Consent of each person for each channel (sms, wecom, ads, email). For one identifier and
    channel the latest change by the as_of cut-off wins; a revocation recorded after the cut-off
    counts too (an opt-out is honoured as soon as it is known; a later grant waits for a build
    that reaches it). A person is consented for a channel when at least one of their identifiers
    has a grant for it and none has a revocation: an opt-out on any of a person's identifiers wins.
    Identifiers that point to nobody, or to several people, are not attributed (int_identifier_people).
-#}
with consent_changes as (

    select * from {{ ref('stg_consent__consents') }}

),

identifier_people as (

    select * from {{ ref('int_identifier_people') }}

),

identifier_consents as (

    select
        identifier_type,
        identifier,
        channel,
        arg_max(is_granted, updated_at) filter (where updated_at < {{ as_of_cutoff() }}) as is_granted_by_cutoff,
        coalesce(bool_or(not is_granted) filter (where updated_at >= {{ as_of_cutoff() }}), false) as is_revoked_later
    from consent_changes
    group by identifier_type, identifier, channel

),

identifier_states as (

    select
        identifier_type,
        identifier,
        channel,
        coalesce(is_granted_by_cutoff and not is_revoked_later, false) as is_granted,
        coalesce(not is_granted_by_cutoff or is_revoked_later, false) as is_revoked
    from identifier_consents

),

person_consents as (

    select
        identifier_people.one_id,
        identifier_states.channel,
        count(*) filter (where identifier_states.is_granted) as granted_identifiers,
        count(*) filter (where identifier_states.is_revoked) as revoked_identifiers
    from identifier_states
    inner join identifier_people
        on
            identifier_states.identifier_type = identifier_people.identifier_type
            and identifier_states.identifier = identifier_people.identifier
    group by identifier_people.one_id, identifier_states.channel

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
