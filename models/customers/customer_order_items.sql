-- Order lines of customer_orders, with SKU and catalogue category.
with items as (

    select * from {{ ref('order_items') }}
    where one_id is not null

)

select * from items
