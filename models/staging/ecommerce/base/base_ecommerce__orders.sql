{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('ecommerce', 'orders')) }}

),

renamed as (

    select
        {{ normalize_code('platform') }} as platform,
        {{ clean_text('order_id') }} as order_id,
        {{ normalize_identifier("'buyer_id'", 'buyer_id') }} as buyer_id,
        {{ normalize_identifier("'member_id'", 'member_id') }} as member_id,
        {{ normalize_identifier("'phone'", 'phone') }} as phone,
        {{ clean_text('coupon_code') }} as coupon_code,
        {{ clean_text('store_id') }} as store_id,
        {{ normalize_code('status') }} as status,
        {{ parse_amount('paid_amount') }} as paid_amount,
        coalesce({{ parse_amount('discount_amount') }}, 0) as discount_amount,
        coalesce(contains({{ clean_text('phone') }}, '*'), false) as has_masked_phone,
        {{ parse_timestamp('order_time') }} as ordered_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_platform', "platform is null"],
            ['missing_order_id', "order_id is null"],
            ['invalid_order_time', unparsed('ordered_at', 'order_time')],
            ['missing_order_time', "ordered_at is null"],
            ['invalid_status', "status is null or status not in ('paid', 'refunded', 'cancelled')"],
            ['invalid_paid_amount', unparsed('paid_amount', 'paid_amount')],
            ['negative_paid_amount', "paid_amount < 0"],
            ['invalid_discount_amount', unparsed('discount_amount', 'discount_amount')],
            ['negative_discount_amount', "discount_amount < 0"],
            ['missing_paid_amount', "paid_amount is null"]
        ]
    ) }}

)

select * from validated
