with base as (

    select * from {{ ref('base_campaign__events') }}

),

staged as (

    select {{ star_except(validate_rows_columns()) }}
    from base
    where row_status = 'staged'

)

select * from staged
