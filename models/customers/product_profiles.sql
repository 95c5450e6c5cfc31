-- One row per catalogue SKU: its attributes and what it sold by the as_of cut-off, counting every
-- order line (anonymous buyers included; `buyers` counts resolved people only).
with products as (

    select * from {{ ref('stg_catalog__products') }}

),

items as (

    select * from {{ ref('order_items') }}
    where status != 'cancelled'

),

sales as (

    select
        sku_id,
        count(distinct order_key) as orders,
        cast(sum(quantity) as bigint) as units_sold,
        cast(sum(quantity) filter (where status = 'paid') as bigint) as units_kept,
        count(distinct one_id) as buyers,
        cast(sum(net_line_amount) as decimal(38, 2)) as revenue,
        count(*) filter (where is_refunded) / count(*) as refund_rate,
        min(ordered_at) as first_sold_at,
        max(ordered_at) as last_sold_at
    from items
    group by sku_id

),

profiles as (

    select
        products.sku_id,
        products.product_name,
        products.category_l1,
        products.category_l2,
        products.brand,
        products.list_price,
        products.launched_date,
        coalesce(sales.orders, 0) as orders,
        coalesce(sales.units_sold, 0) as units_sold,
        coalesce(sales.units_kept, 0) as units_kept,
        coalesce(sales.buyers, 0) as buyers,
        coalesce(sales.revenue, 0) as revenue,
        sales.refund_rate,
        sales.first_sold_at,
        sales.last_sold_at
    from products
    left join sales on products.sku_id = sales.sku_id

)

select * from profiles
