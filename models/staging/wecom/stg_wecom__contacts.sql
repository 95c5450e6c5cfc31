with base as (

    select * from {{ ref('base_wecom__contacts') }}

),

staged as (

    select {{ star_except(['row_status', 'quarantine_reason', 'raw_record']) }}
    from base
    where row_status = 'staged'

)

select * from staged
