{#-
    The purchase-propensity model's data, point in time, for two snapshots (`purpose`): `training`, var
    propensity_horizon_days before as_of, labelled by whether the person made a paid order after
    it (up to as_of); and `scoring`, the as_of day itself (no label yet). At each snapshot the
    features are the propensity_features() tags computed by the tag engine at that day, so the
    training rows read nothing after their snapshot.
-#}
{%- set as_of = var('as_of') | string %}
{%- set training = (modules.datetime.date.fromisoformat(as_of) - modules.datetime.timedelta(days=var('propensity_horizon_days'))).isoformat() %}

with training_tags as (

    {{ tag_values_wide('customer', ['active', 'deprecated'], as_of=training, kinds=['aggregate']) }}

),

scoring_tags as (

    {{ tag_values_wide('customer', ['active', 'deprecated'], as_of=as_of, kinds=['aggregate']) }}

),

orders as (

    select * from {{ ref('customer_orders') }}

),

buyers_after_training as (

    select distinct one_id
    from orders
    where status = 'paid' and order_date > {{ _as_of_literal(training) }} and order_date <= {{ _as_of_literal(as_of) }}

),

snapshots as (

    select
        'training' as purpose,
        {{ _as_of_literal(training) }} as snapshot_date,
        training_tags.one_id,
        {%- for code in propensity_features() %}
            training_tags.{{ code }},
        {%- endfor %}
        buyers_after_training.one_id is not null as purchased_after
    from training_tags
    left join buyers_after_training on training_tags.one_id = buyers_after_training.one_id

    union all

    select
        'scoring' as purpose,
        {{ _as_of_literal(as_of) }} as snapshot_date,
        one_id,
        {%- for code in propensity_features() %}
            {{ code }},
        {%- endfor %}
        null as purchased_after
    from scoring_tags

)

select * from snapshots
