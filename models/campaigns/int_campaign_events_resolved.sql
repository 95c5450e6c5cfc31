-- Every staged campaign event up to the as_of cut-off with the person its identifier points to
-- through OneID (int_identifier_people); one_id is null when the identifier points to nobody
-- (such events are counted in campaign_results, not dropped).
with campaign_events as (

    select * from {{ ref('stg_campaign__events') }}
    where event_at < {{ as_of_cutoff() }}

),

identifier_people as (

    select * from {{ ref('int_identifier_people') }}

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
        identifier_people.one_id,
        campaign_events.event_name,
        campaign_events.revenue,
        campaign_events.event_at
    from campaign_events
    left join identifier_people
        on
            campaign_events.identifier_type = identifier_people.identifier_type
            and campaign_events.identifier = identifier_people.identifier

)

select * from resolved
