-- Every staged campaign event up to the as_of cut-off with the person its identifier pointed to at
-- the time of the event (identifier_owner_periods: a recycled number's events after a newer
-- member claimed it are the newer member's); one_id is null when the identifier points to nobody
-- (such events are counted in campaign_results, not dropped).
with campaign_events as (

    select * from {{ ref('stg_campaign__events') }}
    where event_at < {{ as_of_cutoff() }}

),

owner_periods as (

    select * from {{ ref('identifier_owner_periods') }}

),

resolved as (

    select
        campaign_events.campaign_id,
        campaign_events.segment_code,
        campaign_events.variant,
        campaign_events.is_holdout,
        campaign_events.channel,
        campaign_events.identifier_type,
        campaign_events.identifier,
        owner_periods.one_id,
        campaign_events.event_name,
        campaign_events.revenue,
        campaign_events.event_at
    from campaign_events
    left join owner_periods
        on
            campaign_events.identifier_type = owner_periods.identifier_type
            and campaign_events.identifier = owner_periods.identifier
            and {{ owned_at('owner_periods', 'campaign_events.event_at') }}

)

select * from resolved
