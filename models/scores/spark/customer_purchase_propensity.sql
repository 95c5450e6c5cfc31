{#-
    Spark twin of the dbt Python model models/scores/customer_purchase_propensity.py (dbt-spark
    runs Python models on Databricks only): the scoring snapshot of int_propensity_features scored
    under the fit of model_propensity_fit by the same function
    (portrait/python_models/customer_purchase_propensity.py) run by Spark as a script
    transformation (portrait/spark_models/customer_purchase_propensity.py). The features are the
    fit's (read when the model runs). Same name and columns; dbt_project.yml enables one of the two
    per engine.
-#}
{%- set fit = ref('model_propensity_fit') -%}
{%- set names = [] -%}
{%- if execute -%}
    {%- set features = run_query('select features from ' ~ fit).columns[0].values() -%}
    {%- for name in (fromjson(features[0]) if features and features[0] else []) -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
{%- endif -%}
{%- set params -%}
    (select to_json(named_struct(
        'fit_status', fit_status, 'features', from_json(features, 'array<string>'), 'fitted_model', fitted_model
    )) from {{ fit }})
{%- endset -%}
{%- set scoring -%}
    select one_id{% for name in names %}, cast({{ name }} as double) as {{ name }}{% endfor %}
    from {{ ref('int_propensity_features') }}
    where purpose = 'scoring'
{%- endset -%}
{{ python_transform(
    'customer_purchase_propensity', params, scoring, ['one_id'] + names, ['one_id'],
    'one_id string, purchase_propensity_30d double'
) }}
