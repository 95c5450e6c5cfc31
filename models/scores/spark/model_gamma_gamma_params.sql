{#-
    Spark twin of the dbt Python model models/scores/model_gamma_gamma_params.py (dbt-spark runs
    Python models on Databricks only): the repeat buyers with a positive amount in (frequency,
    repeat_mean_amount) order, fitted by the same function
    (portrait/python_models/model_gamma_gamma_params.py) run by Spark as a script transformation
    (portrait/spark_models/model_gamma_gamma_params.py). Same name and columns; dbt_project.yml
    enables one of the two per engine.
-#}
{%- set repeat_buyers -%}
    select cast(frequency as double) as frequency, cast(repeat_mean_amount as double) as repeat_mean_amount
    from {{ ref('customer_purchase_summary') }}
    where frequency > 0 and repeat_mean_amount > 0
{%- endset -%}
with fitted as (
    {{ python_transform(
        'model_gamma_gamma_params', "to_json(named_struct('model', 'gamma_gamma'))",
        repeat_buyers, ['frequency', 'repeat_mean_amount'], ['frequency', 'repeat_mean_amount'],
        'p double, q double, gamma double, p_standard_error double, q_standard_error double,'
        ~ ' gamma_standard_error double, log_likelihood double, repeat_buyers bigint, fit_status string'
    ) }}
)

select *, cast({{ sql_string(config.get('as_of')) }} as date) as as_of, current_timestamp() as fitted_at
from fitted
