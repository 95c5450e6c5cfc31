{#-
    The repeat-purchase summary of every buyer as of the as_of day, in the time unit of the
    purchase models (var clv_time_unit_days, default 7: weeks): frequency (repeat transactions:
    purchase days after the first), recency (first to last purchase day), age (first purchase day
    to the as_of day), and the mean value of the repeat transactions (the first one excluded).
-#}
{%- set unit = var('clv_time_unit_days') %}

with purchase_days as (

    select * from {{ ref('int_purchase_days') }}

),

ordered as (

    select
        *,
        row_number() over (partition by one_id order by purchase_date) as purchase_number
    from purchase_days

),

summary as (

    select
        one_id,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        count(*) as purchase_days,
        count(*) - 1 as frequency,
        {{ days_between('min(purchase_date)', 'max(purchase_date)') }} / {{ unit }} as recency,
        {{ days_between('min(purchase_date)', as_of_date()) }} / {{ unit }} as age,
        sum(amount) as total_amount,
        avg(cast(amount as double)) filter (where purchase_number > 1) as repeat_mean_amount
    from ordered
    group by one_id

)

select * from summary
