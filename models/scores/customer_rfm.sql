{#-
    RFM of every buyer as of the as_of day: recency (days since the last purchase day), frequency
    (purchase days) and monetary value (net amount) over the last var rfm_lookback_days days;
    quintile scores 1-5 (5 best: most recent, most frequent, highest value; tied values share a
    score); and the eight-class segmentation (重要价值客户 ... 一般挽留客户): R, F and M are high
    when better than the buyers' var rfm_reference (median or mean).
-#}
{%- set reference = var('rfm_reference') %}
{%- if reference not in ['median', 'mean'] %}
    {{ exceptions.raise_compiler_error("var rfm_reference is '" ~ reference ~ "'; use median or mean") }}
{%- endif %}
{%- set reference_of = median_of('{}') if reference == 'median' else 'avg({})' %}
{%- set lookback_start = _as_of_literal(var('as_of'), var('rfm_lookback_days')) %}

with purchase_days as (

    select * from {{ ref('int_purchase_days') }}

),

raw_rfm as (

    select
        one_id,
        cast({{ days_between('max(purchase_date)', as_of_date()) }} as bigint) as recency_days,
        count(*) filter (where purchase_date > {{ lookback_start }}) as frequency,
        cast(coalesce(sum(amount) filter (where purchase_date > {{ lookback_start }}), 0) as decimal(38, 2)) as monetary
    from purchase_days
    group by one_id

),

buyer_references as (

    select
        {{ reference_of.format('recency_days') }} as reference_recency_days,
        {{ reference_of.format('frequency') }} as reference_frequency,
        {{ reference_of.format('monetary') }} as reference_monetary
    from raw_rfm

),

scored as (

    select
        raw_rfm.*,
        least(5, 1 + floor(5 * percent_rank() over (order by raw_rfm.recency_days desc))) as r_score,
        least(5, 1 + floor(5 * percent_rank() over (order by raw_rfm.frequency asc))) as f_score,
        least(5, 1 + floor(5 * percent_rank() over (order by raw_rfm.monetary asc))) as m_score,
        raw_rfm.recency_days < buyer_references.reference_recency_days as is_recency_high,
        raw_rfm.frequency > buyer_references.reference_frequency as is_frequency_high,
        raw_rfm.monetary > buyer_references.reference_monetary as is_monetary_high
    from raw_rfm
    cross join buyer_references

),

classified as (

    select
        one_id,
        recency_days,
        frequency,
        monetary,
        cast(r_score as integer) as r_score,
        cast(f_score as integer) as f_score,
        cast(m_score as integer) as m_score,
        is_recency_high,
        is_frequency_high,
        is_monetary_high,
        case
            when is_monetary_high and is_recency_high and is_frequency_high then '重要价值客户'
            when is_monetary_high and is_recency_high then '重要发展客户'
            when is_monetary_high and is_frequency_high then '重要保持客户'
            when is_monetary_high then '重要挽留客户'
            when is_recency_high and is_frequency_high then '一般价值客户'
            when is_recency_high then '一般发展客户'
            when is_frequency_high then '一般保持客户'
            else '一般挽留客户'
        end as rfm_segment
    from scored

)

select * from classified
