{#-
    Spark twin of the dbt Python model models/scores/model_propensity_fit.py (dbt-spark runs
    Python models on Databricks only): the training people in one_id order, fitted by the same
    function (portrait/python_models/model_propensity_fit.py) run by Spark as a script
    transformation (portrait/spark_models/model_propensity_fit.py). The features are the columns
    of int_propensity_features but purpose, snapshot_date, one_id and purchased_after, in table
    order, as the Python model reads them. Same name and columns; dbt_project.yml enables one of
    the two per engine.
-#}
{%- set features = ref('int_propensity_features') -%}
{%- set names = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(features) -%}
        {%- if column.name | lower not in ('purpose', 'snapshot_date', 'one_id', 'purchased_after') -%}
            {%- do names.append(column.name | lower) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- set params -%}
    to_json(named_struct(
        'features', array({% for name in names %}{{ sql_string(name) }}{{ ', ' if not loop.last }}{% endfor %}),
        'history_days', coalesce(datediff(
            (select min(cast(snapshot_date as date)) from {{ features }} where purpose = 'training'),
            (select min(cast(order_date as date)) from {{ ref('customer_orders') }})
        ), 0),
        'holdout_share', {{ config.get('holdout_share') | float }},
        'min_positives', {{ config.get('min_positives') | int }},
        'min_negatives', {{ config.get('min_negatives') | int }},
        'min_history_days', {{ config.get('min_history_days') | int }},
        'horizon_days', {{ config.get('horizon_days') | int }}
    ))
{%- endset -%}
{%- set training -%}
    select one_id, purchased_after{% for name in names %}, cast({{ name }} as double) as {{ name }}{% endfor %}
    from {{ features }}
    where purpose = 'training'
{%- endset -%}
with fitted as (
    {{ python_transform(
        'model_propensity_fit', params, training, ['one_id', 'purchased_after'] + names, ['one_id'],
        'fit_status string, positives bigint, negatives bigint, history_days bigint, holdout_auc double,'
        ~ ' holdout_brier double, holdout_base_rate double, calibration string, features string,'
        ~ ' fitted_model string, horizon_days bigint'
    ) }}
)

select *, cast({{ sql_string(config.get('as_of')) }} as date) as as_of, current_timestamp() as fitted_at
from fitted
