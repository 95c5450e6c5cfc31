-- Transactions as the purchase models count them: one row per person and local calendar day with
-- at least one paid order (several orders on one day are one transaction, as in Fader, Hardie &
-- Lee 2005), with the day's net amount. Refunded and cancelled orders are not purchases.
with orders as (

    select * from {{ ref('customer_orders') }}
    where status = 'paid' and order_date <= {{ as_of_date() }}

),

purchase_days as (

    select
        one_id,
        order_date as purchase_date,
        count(*) as orders,
        sum(net_amount) as amount
    from orders
    group by one_id, order_date

)

select * from purchase_days
