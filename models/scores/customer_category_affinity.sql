{#-
    Category affinity (品类偏好度) of every buyer as of the as_of day, one row per buyer and
    level-1 category bought: the category's share of the buyer's spend in paid orders, and the
    affinity index, that share over the category's share of all buyers' spend x 100 (100 = like
    the average buyer, 200 = twice as much). Spend shares are from order lines.
-#}
with items as (

    select * from {{ ref('customer_order_items') }}
    where status = 'paid' and order_date <= {{ as_of_date() }} and category_l1 is not null

),

spend as (

    select
        one_id,
        category_l1,
        sum(net_line_amount) as category_spend
    from items
    group by one_id, category_l1

),

shares as (

    select
        one_id,
        category_l1,
        category_spend,
        cast(category_spend as double) / nullif(sum(category_spend) over (partition by one_id), 0) as spend_share,
        cast(sum(category_spend) over (partition by category_l1) as double)
        / nullif(sum(category_spend) over (), 0) as population_share
    from spend

),

affinity as (

    select
        one_id,
        category_l1,
        category_spend,
        spend_share,
        100 * spend_share / nullif(population_share, 0) as affinity_index
    from shares

)

select * from affinity
