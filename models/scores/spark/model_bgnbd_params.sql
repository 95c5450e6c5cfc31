{#-
    Spark twin of the dbt Python model models/scores/model_bgnbd_params.py (dbt-spark runs Python
    models on Databricks only): the distinct (frequency, recency, age) summaries with their numbers
    of customers, in that order, fitted by the same function
    (portrait/python_models/model_bgnbd_params.py) run by Spark as a script transformation
    (portrait/spark_models/model_bgnbd_params.py). Same name and columns; dbt_project.yml enables
    one of the two per engine.
-#}
{%- set grouped -%}
    select
        cast(frequency as double) as frequency, cast(recency as double) as recency, cast(age as double) as age,
        cast(count(*) as double) as customers
    from {{ ref('customer_purchase_summary') }}
    group by frequency, recency, age
{%- endset -%}
with fitted as (
    {{ python_transform(
        'model_bgnbd_params',
        "to_json(named_struct('time_unit_days', " ~ config.get('time_unit_days') | int ~ "))",
        grouped, ['frequency', 'recency', 'age', 'customers'], ['frequency', 'recency', 'age'],
        'r double, alpha double, a double, b double, r_standard_error double, alpha_standard_error double,'
        ~ ' a_standard_error double, b_standard_error double, log_likelihood double, buyers bigint,'
        ~ ' repeat_buyers bigint, distinct_summaries bigint, time_unit_days bigint, fit_status string'
    ) }}
)

select *, cast({{ sql_string(config.get('as_of')) }} as date) as as_of, current_timestamp() as fitted_at
from fitted
