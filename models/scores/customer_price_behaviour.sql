{#-
    How each buyer responds to price, from paid orders up to the as_of day:
    - promotion_share: share of paid orders bought with a coupon or a discount;
    - discount_depth: discount as a share of the pre-discount amount over those orders;
    - price_index: the buyer's unit prices against the median unit price of the same level-2
      category over all paid order lines (1 = pays the category's typical price; 0.8 = 20% below),
      weighted by line amount.
-#}
with orders as (

    select * from {{ ref('customer_orders') }}
    where status = 'paid' and order_date <= {{ as_of_date() }}

),

items as (

    select * from {{ ref('customer_order_items') }}
    where status = 'paid' and order_date <= {{ as_of_date() }} and unit_price > 0

),

category_prices as (

    select
        category_l2,
        {{ median_of('unit_price') }} as median_unit_price
    from items
    where category_l2 is not null
    group by category_l2

),

price_positions as (

    select
        items.one_id,
        sum(items.line_amount * items.unit_price / category_prices.median_unit_price) / sum(items.line_amount) as price_index
    from items
    inner join category_prices on items.category_l2 = category_prices.category_l2
    group by items.one_id

),

promotions as (

    select
        one_id,
        count(*) as paid_orders,
        count(*) filter (where coupon_code is not null or discount_amount > 0) / count(*) as promotion_share,
        cast(coalesce(sum(discount_amount), 0) as double) / nullif(sum(paid_amount + coalesce(discount_amount, 0)), 0) as discount_depth
    from orders
    group by one_id

),

price_behaviour as (

    select
        promotions.one_id,
        promotions.paid_orders,
        promotions.promotion_share,
        promotions.discount_depth,
        price_positions.price_index
    from promotions
    left join price_positions on promotions.one_id = price_positions.one_id

)

select * from price_behaviour
