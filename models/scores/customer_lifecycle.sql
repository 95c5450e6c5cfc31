{#-
    Lifecycle stage of every person as of the as_of day, from their purchase days and the rules in
    var lifecycle_rules: prospect (no purchase yet), new (first purchase in the last new_days
    days), active, dormant (沉寂), lost (流失), win_back (回流: bought again in the last
    winback_days days after a gap longer than the lost threshold). Buyers with enough purchase
    days are judged against their own rhythm (their mean gap between purchase days) rather than
    fixed day counts; the thresholds used are kept beside the stage.
-#}
{%- set rules = var('lifecycle_rules') %}

with customers as (

    select one_id from {{ ref('customers') }}

),

purchase_days as (

    select * from {{ ref('int_purchase_days') }}

),

gaps as (

    select
        one_id,
        purchase_date,
        {{ days_between('lag(purchase_date) over (partition by one_id order by purchase_date)', 'purchase_date') }} as gap_days
    from purchase_days

),

rhythm as (

    select
        one_id,
        count(*) as purchase_days,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        avg(gap_days) as mean_gap_days,
        max_by(gap_days, purchase_date) as last_gap_days
    from gaps
    group by one_id

),

thresholds as (

    select
        *,
        purchase_days >= {{ rules.rhythm_min_purchase_days }} as uses_own_rhythm,
        case
            when purchase_days >= {{ rules.rhythm_min_purchase_days }}
                then greatest({{ rules.rhythm_min_days }}, {{ rules.dormant_rhythm_multiple }} * mean_gap_days)
            else {{ rules.dormant_days }}
        end as dormant_after_days,
        case
            when purchase_days >= {{ rules.rhythm_min_purchase_days }}
                then greatest({{ rules.rhythm_min_days }}, {{ rules.lost_rhythm_multiple }} * mean_gap_days)
            else {{ rules.lost_days }}
        end as lost_after_days,
        {{ days_between('last_purchase_date', as_of_date()) }} as days_since_last_purchase,
        {{ days_between('first_purchase_date', as_of_date()) }} as days_since_first_purchase
    from rhythm

),

staged as (

    select
        customers.one_id,
        case
            when thresholds.one_id is null then 'prospect'
            when thresholds.days_since_last_purchase > thresholds.lost_after_days then 'lost'
            when thresholds.days_since_last_purchase > thresholds.dormant_after_days then 'dormant'
            when
                thresholds.last_gap_days > thresholds.lost_after_days
                and thresholds.days_since_last_purchase <= {{ rules.winback_days }}
                then 'win_back'
            when thresholds.days_since_first_purchase <= {{ rules.new_days }} then 'new'
            else 'active'
        end as lifecycle_stage,
        thresholds.purchase_days,
        thresholds.days_since_last_purchase,
        thresholds.last_gap_days,
        thresholds.mean_gap_days,
        thresholds.uses_own_rhythm,
        thresholds.dormant_after_days,
        thresholds.lost_after_days
    from customers
    left join thresholds on customers.one_id = thresholds.one_id

)

select * from staged
