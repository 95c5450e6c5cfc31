-- Every model score of every person in one row (null where a model does not apply): lifecycle,
-- RFM, BG/NBD and Gamma-Gamma (P(alive), expected purchases, CLV), purchase propensity, promotion
-- and price behaviour, and the category with the highest affinity. Model tags pass these through.
with customers as (

    select one_id from {{ ref('customers') }}

),

lifecycle as (

    select * from {{ ref('customer_lifecycle') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

clv as (

    select * from {{ ref('customer_clv') }}

),

propensity as (

    select * from {{ ref('customer_purchase_propensity') }}

),

price_behaviour as (

    select * from {{ ref('customer_price_behaviour') }}

),

affinity as (

    select * from {{ ref('customer_category_affinity') }}

),

ranked_affinity as (

    -- Among categories holding at least a fifth of the buyer's spend; ties go to the first by name.
    select
        one_id,
        category_l1,
        affinity_index,
        row_number() over (
            partition by one_id order by affinity_index desc nulls last, category_l1 asc nulls last
        ) as affinity_rank
    from affinity
    where spend_share >= 0.2

),

top_affinity as (

    select
        one_id,
        max(case when affinity_rank = 1 then category_l1 end) as top_affinity_category,
        max(affinity_index) as top_affinity_index
    from ranked_affinity
    group by one_id

),

scores as (

    select
        customers.one_id,
        lifecycle.lifecycle_stage,
        rfm.recency_days as rfm_recency_days,
        rfm.frequency as rfm_frequency,
        rfm.monetary as rfm_monetary,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.rfm_segment,
        clv.p_alive,
        clv.expected_purchases_30d,
        clv.expected_purchases_90d,
        clv.expected_purchases_365d,
        clv.expected_order_value,
        clv.clv,
        propensity.purchase_propensity_30d,
        price_behaviour.promotion_share,
        price_behaviour.discount_depth,
        price_behaviour.price_index,
        top_affinity.top_affinity_category,
        top_affinity.top_affinity_index
    from customers
    left join lifecycle on customers.one_id = lifecycle.one_id
    left join rfm on customers.one_id = rfm.one_id
    left join clv on customers.one_id = clv.one_id
    left join propensity on customers.one_id = propensity.one_id
    left join price_behaviour on customers.one_id = price_behaviour.one_id
    left join top_affinity on customers.one_id = top_affinity.one_id

)

select * from scores
