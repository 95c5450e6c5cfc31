-- Every staged order line of the orders in orders, with its product from the catalogue.
with orders as (

    select * from {{ ref('orders') }}

),

ecommerce_items as (

    select * from {{ ref('stg_ecommerce__order_items') }}

),

pos_items as (

    select * from {{ ref('stg_pos__order_items') }}

),

products as (

    select * from {{ ref('stg_catalog__products') }}

),

unioned as (

    select
        'stg_ecommerce__order_items' as source_model,
        {{ source_row_key() }} as source_row_key,
        platform || ':' || order_id as order_key,
        sku_id,
        quantity,
        unit_price
    from ecommerce_items

    union all

    select
        'stg_pos__order_items' as source_model,
        {{ source_row_key() }} as source_row_key,
        'pos:' || store_id || '/' || order_id as order_key,
        sku_id,
        quantity,
        unit_price
    from pos_items

),

items as (

    select
        unioned.source_model,
        unioned.source_row_key,
        unioned.order_key,
        orders.one_id,
        orders.channel,
        orders.order_id,
        orders.store_id,
        orders.ordered_at,
        orders.order_date,
        orders.status,
        orders.is_refunded,
        unioned.sku_id,
        products.product_name,
        products.category_l1,
        products.category_l2,
        products.brand,
        unioned.quantity,
        unioned.unit_price,
        cast(unioned.quantity * unioned.unit_price as decimal(38, 2)) as line_amount,
        case
            when orders.status = 'paid' then cast(coalesce(unioned.quantity * unioned.unit_price, 0) as decimal(38, 2)) else 0
        end as net_line_amount
    from unioned
    inner join orders on unioned.order_key = orders.order_key
    left join products on unioned.sku_id = products.sku_id

)

select * from items
