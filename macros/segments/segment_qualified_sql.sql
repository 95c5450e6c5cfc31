{#-
    SQL: (segment_code, one_id) of the people whose profile satisfies each segment's compiled
    `condition` (segments: dicts from segment_definitions() or segment_preview_sql), as of the
    as_of day: before suppression, exclusive groups and freezing. The one query of
    int_segment_qualified and of the workbench's preview of a draft.
-#}
{% macro segment_qualified_sql(segments) -%}
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
{%- endmacro %}
