-- Every staged order of every channel placed by the as_of cut-off, with the person it resolves to
-- (null when none of its identifiers resolves). customer_orders and customer_orders_unresolved
-- split this set; product_profiles and store_profiles count all of it.
with ecommerce_orders as (

    select * from {{ ref('stg_ecommerce__orders') }}
    where ordered_at < {{ as_of_cutoff() }}

),

pos_orders as (

    select * from {{ ref('stg_pos__orders') }}
    where ordered_at < {{ as_of_cutoff() }}

),

rows_resolved as (

    select * from {{ ref('int_rows_resolved') }}

),

unioned as (

    select
        'stg_ecommerce__orders' as source_model,
        {{ source_row_key() }} as source_row_key,
        platform || ':' || order_id as order_key,
        platform as channel,
        order_id,
        store_id,
        buyer_id,
        member_id,
        ordered_at,
        status,
        paid_amount,
        discount_amount,
        coupon_code
    from ecommerce_orders

    union all

    select
        'stg_pos__orders' as source_model,
        {{ source_row_key() }} as source_row_key,
        'pos:' || store_id || '/' || order_id as order_key,
        'pos' as channel,
        order_id,
        store_id,
        null as buyer_id,
        member_id,
        ordered_at,
        status,
        paid_amount,
        discount_amount,
        null as coupon_code
    from pos_orders

),

orders as (

    select
        unioned.order_key,
        rows_resolved.one_id,
        unioned.channel,
        unioned.order_id,
        unioned.store_id,
        unioned.buyer_id,
        unioned.member_id,
        unioned.ordered_at,
        {{ local_date('unioned.ordered_at') }} as order_date,
        unioned.status,
        unioned.status = 'refunded' as is_refunded,
        unioned.paid_amount,
        unioned.discount_amount,
        unioned.coupon_code,
        case when unioned.status = 'paid' then coalesce(unioned.paid_amount, 0) else 0 end as net_amount,
        rows_resolved.resolved_by,
        unioned.source_model,
        unioned.source_row_key
    from unioned
    left join rows_resolved
        on
            unioned.source_model = rows_resolved.source_model
            and unioned.source_row_key = rows_resolved.source_row_key

)

select * from orders
