-- Orders of every channel (marketplaces, mini-program, POS) placed by the as_of cut-off whose
-- identifiers resolve to a person, one row per order. The rest are in customer_orders_unresolved.
with orders as (

    select * from {{ ref('orders') }}
    where one_id is not null

),

items as (

    select * from {{ ref('order_items') }}

),

item_totals as (

    select
        order_key,
        count(*) as item_lines,
        cast(sum(quantity) as bigint) as units
    from items
    group by order_key

),

customer_orders as (

    select
        orders.order_key,
        orders.one_id,
        orders.channel,
        orders.order_id,
        orders.store_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        orders.is_refunded,
        orders.paid_amount,
        orders.discount_amount,
        orders.coupon_code,
        orders.net_amount,
        coalesce(item_totals.item_lines, 0) as item_lines,
        coalesce(item_totals.units, 0) as units,
        orders.resolved_by,
        orders.source_model,
        orders.source_row_key
    from orders
    left join item_totals on orders.order_key = item_totals.order_key

)

select * from customer_orders
