{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}

with source as (

    {{ landed_rows(source('ecommerce', 'order_items')) }}

),

renamed as (

    select
        {{ normalize_code('platform') }} as platform,
        {{ clean_text('order_id') }} as order_id,
        {{ clean_text('sku_id') }} as sku_id,
        {{ parse_integer('quantity') }} as quantity,
        {{ parse_amount('unit_price') }} as unit_price,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_platform', "platform is null"],
            ['missing_order_id', "order_id is null"],
            ['missing_sku_id', "sku_id is null"],
            ['invalid_quantity', "quantity is null or quantity <= 0"],
            ['invalid_unit_price', "unit_price is null or unit_price < 0"]
        ]
    ) }}

)

select * from validated
