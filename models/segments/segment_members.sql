{#-
    Members of every active segment as of the as_of day: people whose profile satisfies the
    segment's rule, less everyone in a suppression segment (opted out, complaints, staff,
    minors...), and, within an exclusive group, only in the highest-priority segment they qualify
    for (priority 1 first, then segment code).
-#}
{%- set segments = segment_definitions() | selectattr('status', 'equalto', 'active') | list %}

with profile as (

    select * from {{ ref('customer_profile') }}

),

segment_events as (

    select * from {{ ref('customer_events') }}

),

segment_purchases as (

    select * from {{ ref('customer_order_items') }}

),

definitions as (

    select * from {{ ref('segment_definitions') }}

),

qualified as (

    {%- for segment in segments %}
    select
        {{ _sql_string(segment.code) }} as segment_code,
        profile.one_id
    from profile
    where {{ segment.condition }}
    {{ 'union all' if not loop.last }}
    {%- else %}
    select
        cast(null as varchar) as segment_code,
        cast(null as varchar) as one_id
    where false
    {%- endfor %}

),

suppressed as (

    select distinct qualified.one_id
    from qualified
    inner join definitions on qualified.segment_code = definitions.segment_code
    where definitions.segment_type = 'suppression'

),

ranked as (

    select
        qualified.segment_code,
        qualified.one_id,
        definitions.segment_type,
        row_number() over (
            partition by coalesce(definitions.exclusive_group, 'segment:' || qualified.segment_code), qualified.one_id
            order by definitions.priority, qualified.segment_code
        ) as group_rank
    from qualified
    inner join definitions on qualified.segment_code = definitions.segment_code

),

members as (

    select
        ranked.segment_code,
        ranked.one_id,
        {{ as_of_date() }} as as_of
    from ranked
    left join suppressed on ranked.one_id = suppressed.one_id
    where
        ranked.group_rank = 1
        and (ranked.segment_type = 'suppression' or suppressed.one_id is null)

)

select * from members
