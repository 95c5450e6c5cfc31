with base as (

    select * from {{ ref('base_crm__members') }}

),

staged as (

    select {{ star_except(validate_rows_columns()) }}
    from base
    where row_status = 'staged'

)

select * from staged
