-- One row per campaign, segment, variant and person: everyone selected for the variant (an
-- `assigned` event, or any other event of it: only a selected person is messaged or held out)
-- and how far they went in the funnel, up to the as_of cut-off. A later message step implies the
-- earlier ones (a click or open means the message was delivered, a delivery that it was sent), so
-- a lost receipt does not undercount; clicks do not imply opens, which SMS does not track.
with resolved_events as (

    select * from {{ ref('int_campaign_events_resolved') }}
    where one_id is not null

),

members as (

    select
        campaign_id,
        segment_code,
        variant,
        one_id,
        bool_or(is_holdout) as is_holdout,
        min(channel) as channel,
        min(event_at) filter (where event_name = 'assigned') as assigned_at,
        bool_or(event_name = 'assigned') as has_assigned_event,
        bool_or(event_name in ('sent', 'delivered', 'opened', 'clicked')) as is_sent,
        bool_or(event_name in ('delivered', 'opened', 'clicked')) as is_delivered,
        bool_or(event_name = 'opened') as is_opened,
        bool_or(event_name = 'clicked') as is_clicked,
        bool_or(event_name = 'converted') as is_converted,
        count(*) filter (where event_name = 'converted') as conversions,
        cast(coalesce(sum(revenue) filter (where event_name = 'converted'), 0) as decimal(18, 2)) as revenue,
        min(event_at) filter (where event_name = 'converted') as first_converted_at
    from resolved_events
    group by campaign_id, segment_code, variant, one_id

)

select * from members
