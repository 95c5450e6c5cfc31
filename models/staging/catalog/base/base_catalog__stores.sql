{{ config(materialized=base_materialization(), incremental_strategy='landed_rows', on_schema_change='fail', access='private') }}

with source as (

    {{ landed_rows(source('catalog', 'stores')) }}

),

renamed as (

    select
        {{ clean_text('store_id') }} as store_id,
        {{ clean_text('name') }} as store_name,
        {{ clean_text('province') }} as province,
        {{ clean_text('city') }} as city,
        {{ clean_text('city_tier') }} as city_tier,
        {{ parse_date('opened_at') }} as opened_date,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_store_id', "store_id is null"]
        ]
    ) }}

)

select * from validated
