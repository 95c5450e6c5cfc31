-- One row per store: its attributes and its business by the as_of cut-off (every order carrying
-- the store, POS and mini-program alike; `customers` counts resolved people only).
with stores as (

    select * from {{ ref('stg_catalog__stores') }}

),

orders as (

    select * from {{ ref('orders') }}
    where store_id is not null and status != 'cancelled'

),

members as (

    select * from {{ ref('stg_crm__members') }}
    where registered_at < {{ as_of_cutoff() }}

),

store_orders as (

    select
        store_id,
        count(*) as orders,
        count(*) filter (where channel = 'pos') as pos_orders,
        count(distinct one_id) as customers,
        count(*) filter (where one_id is null) as anonymous_orders,
        cast(sum(net_amount) as decimal(38, 2)) as revenue,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at
    from orders
    group by store_id

),

store_members as (

    select
        register_store_id as store_id,
        count(*) as members_registered
    from members
    where register_store_id is not null
    group by register_store_id

),

profiles as (

    select
        stores.store_id,
        stores.store_name,
        stores.province,
        stores.city,
        stores.city_tier,
        stores.opened_date,
        coalesce(store_orders.orders, 0) as orders,
        coalesce(store_orders.pos_orders, 0) as pos_orders,
        coalesce(store_orders.customers, 0) as customers,
        coalesce(store_orders.anonymous_orders, 0) as anonymous_orders,
        coalesce(store_orders.revenue, 0) as revenue,
        coalesce(store_members.members_registered, 0) as members_registered,
        store_orders.first_order_at,
        store_orders.last_order_at
    from stores
    left join store_orders on stores.store_id = store_orders.store_id
    left join store_members on stores.store_id = store_members.store_id

)

select * from profiles
