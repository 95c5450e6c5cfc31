{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}

with source as (

    {{ landed_rows(source('catalog', 'products')) }}

),

renamed as (

    select
        {{ clean_text('sku_id') }} as sku_id,
        {{ clean_text('name') }} as product_name,
        {{ clean_text('category_l1') }} as category_l1,
        {{ clean_text('category_l2') }} as category_l2,
        {{ clean_text('brand') }} as brand,
        {{ parse_amount('list_price') }} as list_price,
        {{ parse_date('launched_at') }} as launched_date,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_sku_id', "sku_id is null"],
            ['invalid_list_price', unparsed('list_price', 'list_price') ~ " or list_price < 0"]
        ]
    ) }}

)

select * from validated
