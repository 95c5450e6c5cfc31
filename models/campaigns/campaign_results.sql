-- Per campaign, segment and variant: the audience and its funnel, rates, revenue, and for every
-- treatment variant the lift over the holdout of the same campaign and segment (conversion rate
-- difference with a 95% Wald interval, relative lift, revenue per member difference). Events
-- whose identifier points to nobody are counted (unresolved_*), not silently dropped.
with resolved_events as (

    select * from {{ ref('int_campaign_events_resolved') }}

),

members as (

    select * from {{ ref('campaign_members') }}

),

variants as (

    select
        campaign_id,
        segment_code,
        variant,
        bool_or(is_holdout) as is_holdout,
        {{ join_list(sorted_distinct_list('channel'), "', '") }} as channels,
        min(event_at) filter (where event_name = 'assigned') as started_at,
        count(distinct identifier_type || ':' || identifier) filter (where one_id is null) as unresolved_identifiers,
        count(*) filter (where one_id is null) as unresolved_events
    from resolved_events
    group by campaign_id, segment_code, variant

),

funnels as (

    select
        campaign_id,
        segment_code,
        variant,
        count(*) as audience,
        count(*) filter (where not has_assigned_event) as members_without_assigned_event,
        count(*) filter (where is_sent) as sent,
        count(*) filter (where is_delivered) as delivered,
        count(*) filter (where is_opened) as opened,
        count(*) filter (where is_clicked) as clicked,
        count(*) filter (where is_converted) as converted,
        cast(sum(revenue) as decimal(18, 2)) as revenue
    from members
    group by campaign_id, segment_code, variant

),

rates as (

    select
        variants.campaign_id,
        variants.segment_code,
        variants.variant,
        variants.is_holdout,
        variants.channels,
        variants.started_at,
        coalesce(funnels.audience, 0) as audience,
        coalesce(funnels.members_without_assigned_event, 0) as members_without_assigned_event,
        coalesce(funnels.sent, 0) as sent,
        coalesce(funnels.delivered, 0) as delivered,
        coalesce(funnels.opened, 0) as opened,
        coalesce(funnels.clicked, 0) as clicked,
        coalesce(funnels.converted, 0) as converted,
        coalesce(funnels.revenue, 0) as revenue,
        funnels.delivered / nullif(funnels.audience, 0) as reach_rate,
        funnels.clicked / nullif(funnels.delivered, 0) as click_through_rate,
        funnels.converted / nullif(funnels.audience, 0) as conversion_rate,
        cast(funnels.revenue as double) / nullif(funnels.audience, 0) as revenue_per_member,
        variants.unresolved_identifiers,
        variants.unresolved_events
    from variants
    left join funnels
        on
            variants.campaign_id = funnels.campaign_id
            and variants.segment_code is not distinct from funnels.segment_code
            and variants.variant = funnels.variant

),

holdouts as (

    select * from rates
    where is_holdout

),

lifts as (

    select
        rates.*,
        holdouts.audience as holdout_audience,
        holdouts.conversion_rate as holdout_conversion_rate,
        holdouts.revenue_per_member as holdout_revenue_per_member,
        rates.conversion_rate - holdouts.conversion_rate as conversion_rate_lift,
        -- standard error of the difference of two independent proportions (Wald)
        sqrt(
            rates.conversion_rate * (1 - rates.conversion_rate) / rates.audience
            + holdouts.conversion_rate * (1 - holdouts.conversion_rate) / holdouts.audience
        ) as conversion_rate_lift_standard_error,
        rates.conversion_rate / nullif(holdouts.conversion_rate, 0) - 1 as conversion_rate_relative_lift,
        rates.revenue_per_member - holdouts.revenue_per_member as revenue_per_member_lift
    from rates
    left join holdouts
        on
            rates.campaign_id = holdouts.campaign_id
            and rates.segment_code is not distinct from holdouts.segment_code
            and not rates.is_holdout

),

final as (

    select
        campaign_id,
        segment_code,
        variant,
        is_holdout,
        channels,
        started_at,
        audience,
        members_without_assigned_event,
        sent,
        delivered,
        opened,
        clicked,
        converted,
        revenue,
        reach_rate,
        click_through_rate,
        conversion_rate,
        revenue_per_member,
        unresolved_identifiers,
        unresolved_events,
        holdout_audience,
        holdout_conversion_rate,
        holdout_revenue_per_member,
        conversion_rate_lift,
        conversion_rate_relative_lift,
        revenue_per_member_lift,
        -- 1.959963984540054 is the 97.5% quantile of the standard normal distribution
        conversion_rate_lift - 1.959963984540054 * conversion_rate_lift_standard_error
            as conversion_rate_lift_lower_95,
        conversion_rate_lift + 1.959963984540054 * conversion_rate_lift_standard_error
            as conversion_rate_lift_upper_95,
        conversion_rate_lift - 1.959963984540054 * conversion_rate_lift_standard_error > 0
        or conversion_rate_lift + 1.959963984540054 * conversion_rate_lift_standard_error < 0
            as is_lift_significant
    from lifts

)

select * from final
