{#-
    The golden record: one row per person (identity_clusters) seen by the as_of cut-off.
    Each attribute takes the value of its highest-priority source (customer_attribute_sources, from
    the source registry; 1 strongest), then the most recently observed row; `<attribute>_source`
    names the staging model it came from.
-#}
{%- set attributes = {
    'member_id': 'string', 'member_name': 'string', 'gender': 'string', 'birth_date': 'date',
    'province': 'string', 'city': 'string', 'phone': 'string', 'email': 'string',
    'member_level': 'string', 'register_channel': 'string', 'register_store_id': 'string',
    'registered_at': 'timestamp',
} -%}

with clusters as (

    select * from {{ ref('identity_clusters') }}

),

rows_resolved as (

    select * from {{ ref('int_rows_resolved') }}

),

attribute_values as (

    select * from {{ ref('int_customer_attribute_values') }}

),

attribute_sources as (

    select * from {{ ref('customer_attribute_sources') }}

),

orders as (

    select * from {{ ref('customer_orders') }}

),

stores as (

    select * from {{ ref('stg_catalog__stores') }}

),

seen as (

    select
        one_id,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as source_rows
    from rows_resolved
    group by one_id

),

ranked_values as (

    select
        attribute_values.one_id,
        attribute_values.attribute_name,
        attribute_values.attribute_value,
        attribute_values.source_model,
        row_number() over (
            partition by attribute_values.one_id, attribute_values.attribute_name
            order by
                attribute_sources.priority asc,
                attribute_values.observed_at desc,
                attribute_values.source_row_key desc
        ) as value_rank
    from attribute_values
    inner join attribute_sources
        on
            attribute_values.attribute_name = attribute_sources.attribute_name
            and attribute_values.source_model = attribute_sources.source_model

),

golden_values as (

    select
        one_id,
        {%- for attribute, data_type in attributes.items() %}
            cast(max(attribute_value) filter (where attribute_name = '{{ attribute }}') as {{ data_type }})
                as {{ attribute }},
            max(source_model) filter (where attribute_name = '{{ attribute }}') as {{ attribute }}_source
            {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from ranked_values
    where value_rank = 1
    group by one_id

),

city_tiers as (

    select
        city,
        min(city_tier) as city_tier
    from stores
    where city is not null
    group by city

),

store_visits as (

    select
        one_id,
        store_id,
        count(*) as store_orders,
        max(ordered_at) as last_store_order_at
    from orders
    where channel = 'pos' and status != 'cancelled'
    group by one_id, store_id

),

preferred_stores as (

    select
        one_id,
        max_by(store_id, {{ list_of(["lpad(cast(store_orders as string), 12, '0')", format_timestamp('last_store_order_at', compact=true), 'store_id']) }})
            as preferred_store_id,
        max(store_orders) as preferred_store_orders
    from store_visits
    group by one_id

),

order_totals as (

    select
        one_id,
        count(*) filter (where status != 'cancelled') as orders,
        count(*) filter (where status = 'paid') as paid_orders,
        count(*) filter (where is_refunded) as refunded_orders,
        cast(sum(net_amount) as decimal(38, 2)) as net_amount,
        min(ordered_at) filter (where status != 'cancelled') as first_order_at,
        max(ordered_at) filter (where status != 'cancelled') as last_order_at
    from orders
    group by one_id

),

customers as (

    select
        clusters.one_id,
        golden_values.member_id,
        golden_values.member_id is not null as is_member,
        golden_values.member_name,
        golden_values.gender,
        golden_values.gender_source,
        golden_values.birth_date,
        golden_values.birth_date_source,
        {{ age_on_as_of('golden_values.birth_date') }} as age,
        {{ age_band('golden_values.birth_date') }} as age_band,
        golden_values.province,
        golden_values.province_source,
        golden_values.city,
        golden_values.city_source,
        city_tiers.city_tier,
        golden_values.phone,
        golden_values.phone_source,
        golden_values.email,
        golden_values.email_source,
        golden_values.register_channel,
        golden_values.register_store_id,
        golden_values.registered_at,
        {{ local_date('golden_values.registered_at') }} as register_date,
        golden_values.member_level,
        golden_values.member_level_source,
        preferred_stores.preferred_store_id,
        coalesce(preferred_stores.preferred_store_orders, 0) as preferred_store_orders,
        coalesce(order_totals.orders, 0) as orders,
        coalesce(order_totals.paid_orders, 0) as paid_orders,
        coalesce(order_totals.refunded_orders, 0) as refunded_orders,
        coalesce(order_totals.net_amount, 0) as net_amount,
        order_totals.first_order_at,
        order_totals.last_order_at,
        clusters.identifiers,
        clusters.is_singleton,
        seen.source_rows,
        seen.first_seen_at,
        seen.last_seen_at
    from clusters
    inner join seen on clusters.one_id = seen.one_id
    left join golden_values on clusters.one_id = golden_values.one_id
    left join city_tiers on golden_values.city = city_tiers.city
    left join preferred_stores on clusters.one_id = preferred_stores.one_id
    left join order_totals on clusters.one_id = order_totals.one_id

)

select * from customers
