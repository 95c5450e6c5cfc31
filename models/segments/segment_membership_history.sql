{#-
    Who entered and left each segment across builds at successive as_of days: one row per spell
    of membership, entered_on (the as_of of the build that first found the person in the
    segment) and exited_on (the as_of of the build that no longer did; null while a member).
    Kept between runs and through --full-refresh; a build at an as_of not after the latest one
    recorded adds nothing (with a warning).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['segment_code', 'one_id', 'entered_on'],
    full_refresh=false,
) }}
{{ warn_unless_as_of_moves_forward('coalesce(exited_on, entered_on)') }}

with members as (

    select * from {{ ref('segment_members') }}

),

previous as (

    {% if is_incremental() -%}
        select * from {{ this }}
    {%- else -%}
        select
            cast(null as string) as segment_code,
            cast(null as string) as one_id,
            cast(null as date) as entered_on,
            cast(null as date) as exited_on
        where false
    {%- endif %}

),

latest_build as (

    select max(coalesce(exited_on, entered_on)) as as_of from previous

),

open_spells as (

    select previous.*
    from previous
    cross join latest_build
    where previous.exited_on is null and coalesce(latest_build.as_of < {{ as_of_date() }}, true)

),

entered as (

    select
        members.segment_code,
        members.one_id,
        {{ as_of_date() }} as entered_on,
        cast(null as date) as exited_on
    from members
    cross join latest_build
    left join open_spells
        on members.segment_code = open_spells.segment_code and members.one_id = open_spells.one_id
    where open_spells.one_id is null and coalesce(latest_build.as_of < {{ as_of_date() }}, true)

),

exited as (

    select
        open_spells.segment_code,
        open_spells.one_id,
        open_spells.entered_on,
        {{ as_of_date() }} as exited_on
    from open_spells
    left join members
        on open_spells.segment_code = members.segment_code and open_spells.one_id = members.one_id
    where members.one_id is null

),

changes as (

    select * from entered
    union all
    select * from exited

)

select * from changes
