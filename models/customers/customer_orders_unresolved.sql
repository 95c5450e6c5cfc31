-- Audit. Orders placed by the as_of cut-off that no person resolves to (anonymous till sales,
-- marketplace buyers whose ids are blocked or shared): kept here so that customer_orders plus this
-- model is every staged order.
with orders as (

    select * from {{ ref('orders') }}
    where one_id is null

),

unresolved as (

    select
        order_key,
        channel,
        order_id,
        store_id,
        ordered_at,
        order_date,
        status,
        paid_amount,
        net_amount,
        source_model,
        source_row_key
    from orders

)

select * from unresolved
