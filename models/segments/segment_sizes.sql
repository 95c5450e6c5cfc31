{#-
    Size of every active segment at each build's as_of (one row per segment and day), with how
    many entered and left since the previous build. Kept between runs like the membership history.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['segment_code', 'as_of'],
    full_refresh=false,
) }}

with definitions as (

    select * from {{ ref('segment_definitions') }}
    where status = 'active'

),

members as (

    select * from {{ ref('segment_members') }}

),

history as (

    select * from {{ ref('segment_membership_history') }}

),

member_counts as (

    select
        segment_code,
        count(*) as members
    from members
    group by segment_code

),

change_counts as (

    select
        segment_code,
        count(*) filter (where entered_on = {{ as_of_date() }}) as entered,
        count(*) filter (where exited_on = {{ as_of_date() }}) as exited
    from history
    group by segment_code

),

sizes as (

    select
        definitions.segment_code,
        {{ as_of_date() }} as as_of,
        coalesce(member_counts.members, 0) as members,
        coalesce(change_counts.entered, 0) as entered,
        coalesce(change_counts.exited, 0) as exited
    from definitions
    left join member_counts on definitions.segment_code = member_counts.segment_code
    left join change_counts on definitions.segment_code = change_counts.segment_code

)

select * from sizes
