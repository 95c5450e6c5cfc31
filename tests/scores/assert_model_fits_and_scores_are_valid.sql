-- The purchase models never report an invalid fit as fitted, nor an impossible score: a fit status
-- is 'fitted' or 'not fitted: <reason>'; a fitted BG/NBD or Gamma-Gamma has positive, finite
-- parameters and q > 1 (a finite mean spend); every score of customer_clv and
-- customer_purchase_propensity is null or finite (the ranges are accepted_range tests).
with bgnbd as (

    select * from {{ ref('model_bgnbd_params') }}

),

gamma_gamma as (

    select * from {{ ref('model_gamma_gamma_params') }}

),

propensity_fit as (

    select * from {{ ref('model_propensity_fit') }}

),

clv as (

    select * from {{ ref('customer_clv') }}

),

propensity as (

    select * from {{ ref('customer_purchase_propensity') }}

),

statuses as (

    select
        'model_bgnbd_params' as model_name,
        fit_status
    from bgnbd

    union all

    select
        'model_gamma_gamma_params' as model_name,
        fit_status
    from gamma_gamma

    union all

    select
        'model_propensity_fit' as model_name,
        fit_status
    from propensity_fit

),

bad_statuses as (

    select
        model_name,
        'fit_status is neither fitted nor not fitted: <reason>: ' || coalesce(fit_status, 'null') as problem
    from statuses
    where fit_status is null or (fit_status != 'fitted' and not {{ text_starts_with('fit_status', "'not fitted: '") }})

),

bad_bgnbd as (

    select
        'model_bgnbd_params' as model_name,
        'fitted with a parameter not positive and finite' as problem
    from bgnbd
    where
        fit_status = 'fitted'
        and not coalesce(
            r > 0 and alpha > 0 and a > 0 and b > 0
            and isfinite(r) and isfinite(alpha) and isfinite(a) and isfinite(b)
            and isfinite(log_likelihood),
            false
        )

),

bad_gamma_gamma as (

    select
        'model_gamma_gamma_params' as model_name,
        'fitted with q <= 1 or a parameter not positive and finite' as problem
    from gamma_gamma
    where
        fit_status = 'fitted'
        and not coalesce(
            p > 0 and q > 1 and gamma > 0
            and isfinite(p) and isfinite(q) and isfinite(gamma) and isfinite(log_likelihood),
            false
        )

),

bad_clv as (

    select
        'customer_clv' as model_name,
        'a score not finite for ' || clv.one_id as problem
    from clv
    where
        not isfinite(coalesce(clv.p_alive, 0))
        or not isfinite(coalesce(clv.expected_purchases_30d, 0))
        or not isfinite(coalesce(clv.expected_purchases_90d, 0))
        or not isfinite(coalesce(clv.expected_purchases_365d, 0))
        or not isfinite(coalesce(clv.expected_order_value, 0))
        or not isfinite(coalesce(clv.clv, 0))

),

bad_propensity as (

    select
        'customer_purchase_propensity' as model_name,
        'purchase_propensity_30d not finite for ' || propensity.one_id as problem
    from propensity
    where not isfinite(coalesce(propensity.purchase_propensity_30d, 0))

),

problems as (

    select * from bad_statuses
    union all
    select * from bad_bgnbd
    union all
    select * from bad_gamma_gamma
    union all
    select * from bad_clv
    union all
    select * from bad_propensity

)

select * from problems
