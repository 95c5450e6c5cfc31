{#-
    Spark twin of the dbt Python model models/scores/customer_clv.py (dbt-spark runs Python models
    on Databricks only): every buyer's summary scored under the two fits by the same function
    (portrait/python_models/customer_clv.py) run by Spark as a script transformation
    (portrait/spark_models/customer_clv.py). Same name and columns; dbt_project.yml enables one of
    the two per engine.
-#}
{%- set params -%}
    to_json(named_struct(
        'bgnbd', (select named_struct('status', fit_status, 'params', array(r, alpha, a, b)) from {{ ref('model_bgnbd_params') }}),
        'gamma_gamma', (select named_struct('status', fit_status, 'params', array(p, q, gamma)) from {{ ref('model_gamma_gamma_params') }}),
        'time_unit_days', (select time_unit_days from {{ ref('model_bgnbd_params') }}),
        'horizon_months', {{ config.get('horizon_months') | int }},
        'monthly_discount_rate', {{ config.get('monthly_discount_rate') | float }}
    ))
{%- endset -%}
{%- set summary -%}
    select
        one_id,
        cast(frequency as double) as frequency,
        cast(recency as double) as recency,
        cast(age as double) as age,
        cast(coalesce(repeat_mean_amount, 0) as double) as repeat_mean_amount
    from {{ ref('customer_purchase_summary') }}
{%- endset -%}
{{ python_transform(
    'customer_clv', params, summary, ['one_id', 'frequency', 'recency', 'age', 'repeat_mean_amount'], ['one_id'],
    'one_id string, p_alive double, expected_purchases_30d double, expected_purchases_90d double,'
    ~ ' expected_purchases_365d double, expected_order_value double, clv double'
) }}
