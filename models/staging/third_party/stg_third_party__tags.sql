with base as (

    select * from {{ ref('base_third_party__tags') }}

),

staged as (

    select {{ star_except(validate_rows_columns()) }}
    from base
    where row_status = 'staged'

)

select * from staged
