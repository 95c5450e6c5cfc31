{#-
    People whose profile satisfies the rule of each active segment with a rule (dynamic,
    suppression and static segments), as of the as_of day: before suppression, exclusive groups
    and freezing.
-#}
{%- set segments = segment_definitions() | selectattr('status', 'equalto', 'active') | selectattr('condition') | list %}

with profile as (

    select * from {{ ref('customer_profile') }}

),

segment_events as (

    select * from {{ ref('customer_events') }}

),

segment_purchases as (

    select * from {{ ref('customer_order_items') }}

),

qualified as (

    {%- for segment in segments %}
    select
        {{ sql_string(segment.code) }} as segment_code,
        profile.one_id
    from profile
    where {{ segment.condition }}
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as string) as segment_code,
        cast(null as string) as one_id
    where false
    {%- endfor %}

)

select * from qualified
