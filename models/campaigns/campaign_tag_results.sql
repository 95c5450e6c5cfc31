-- Tag ROI: per campaign, categorical customer tag and tag value, how the targeted treatment
-- audience (every variant but the holdout, pooled) responded, beside the holdout of the same tag
-- value. Tag values are those of the build's as_of day, not of the campaign day (see the docs).
-- A person without a value of a tag is counted under a null tag_value, so each tag splits the
-- whole audience.
with members as (

    select * from {{ ref('campaign_members') }}

),

tag_definitions as (

    select * from {{ ref('tag_definitions') }}

),

tag_values as (

    select * from {{ ref('customer_tag_values') }}

),

categorical_tags as (

    select tag_code
    from tag_definitions
    where
        entity = 'customer'
        and status = 'active'
        and value_type in ('enum', 'boolean', 'string')
        and {{ list_has('allowed_uses', "'analytics'") }}

),

people as (

    select
        campaign_id,
        one_id,
        is_holdout,
        bool_or(is_delivered) as is_delivered,
        bool_or(is_clicked) as is_clicked,
        bool_or(is_converted) as is_converted,
        cast(sum(revenue) as decimal(18, 2)) as revenue
    from members
    group by campaign_id, one_id, is_holdout

),

people_tagged as (

    select
        people.*,
        categorical_tags.tag_code,
        tag_values.tag_value
    from people
    cross join categorical_tags
    left join tag_values
        on
            people.one_id = tag_values.one_id
            and categorical_tags.tag_code = tag_values.tag_code

),

counts as (

    select
        campaign_id,
        tag_code,
        tag_value,
        count(*) filter (where not is_holdout) as audience,
        count(*) filter (where not is_holdout and is_delivered) as delivered,
        count(*) filter (where not is_holdout and is_clicked) as clicked,
        count(*) filter (where not is_holdout and is_converted) as converted,
        cast(coalesce(sum(revenue) filter (where not is_holdout), 0) as decimal(18, 2)) as revenue,
        count(*) filter (where is_holdout) as holdout_audience,
        count(*) filter (where is_holdout and is_converted) as holdout_converted
    from people_tagged
    group by campaign_id, tag_code, tag_value

),

rates as (

    select
        campaign_id,
        tag_code,
        tag_value,
        audience,
        delivered,
        clicked,
        converted,
        revenue,
        clicked / nullif(delivered, 0) as click_through_rate,
        converted / nullif(audience, 0) as conversion_rate,
        cast(revenue as double) / nullif(audience, 0) as revenue_per_member,
        holdout_audience,
        holdout_converted,
        holdout_converted / nullif(holdout_audience, 0) as holdout_conversion_rate,
        converted / nullif(audience, 0) - holdout_converted / nullif(holdout_audience, 0) as conversion_rate_lift
    from counts
    where audience > 0

)

select * from rates
