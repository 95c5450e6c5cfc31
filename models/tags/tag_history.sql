{#-
    What changed in tracked tags (track_history: enum and boolean tags by default) between builds
    at successive as_of days: one row per value a tag held for an entity, with the value before it,
    valid_from (the as_of of the build that first saw it) and valid_to (the as_of of the build that
    saw it change; null while current). Kept between runs and through --full-refresh; a build at
    an as_of not after the latest one recorded leaves it unchanged (with a warning).
    change_kind: initial (first build), appeared, changed, disappeared (value now null).
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['entity', 'entity_id', 'tag_code', 'valid_from'],
    full_refresh=false,
    on_schema_change='fail',
) }}
{{ warn_unless_as_of_moves_forward('valid_from') }}

with tracked as (

    select * from {{ ref('tag_definitions') }}
    where track_history and status != 'retired'

),

current_values as (

    select tag_values.*
    from {{ ref('int_tag_values_unioned') }} as tag_values
    inner join tracked on tag_values.tag_code = tracked.tag_code

),

previous as (

    {% if is_incremental() -%}
        select * from {{ this }}
    {%- else -%}
        select
            cast(null as string) as entity,
            cast(null as string) as entity_id,
            cast(null as string) as tag_code,
            cast(null as string) as old_value,
            cast(null as string) as new_value,
            cast(null as string) as change_kind,
            cast(null as date) as valid_from,
            cast(null as date) as valid_to
        where false
    {%- endif %}

),

latest_build as (

    select max(valid_from) as as_of from previous

),

open_rows as (

    select previous.*
    from previous
    inner join tracked on previous.tag_code = tracked.tag_code
    where previous.valid_to is null

),

changes as (

    select
        coalesce(current_values.entity, open_rows.entity) as entity,
        coalesce(current_values.entity_id, open_rows.entity_id) as entity_id,
        coalesce(current_values.tag_code, open_rows.tag_code) as tag_code,
        open_rows.new_value as old_value,
        current_values.tag_value as new_value
    from current_values
    full outer join open_rows
        on
            current_values.entity = open_rows.entity
            and current_values.entity_id = open_rows.entity_id
            and current_values.tag_code = open_rows.tag_code
    cross join latest_build
    where
        coalesce(latest_build.as_of < {{ as_of_date() }}, true)
        and current_values.tag_value is distinct from open_rows.new_value

),

closed as (

    select
        open_rows.entity,
        open_rows.entity_id,
        open_rows.tag_code,
        open_rows.old_value,
        open_rows.new_value,
        open_rows.change_kind,
        open_rows.valid_from,
        {{ as_of_date() }} as valid_to
    from open_rows
    inner join changes
        on
            open_rows.entity = changes.entity
            and open_rows.entity_id = changes.entity_id
            and open_rows.tag_code = changes.tag_code

),

opened as (

    select
        changes.entity,
        changes.entity_id,
        changes.tag_code,
        changes.old_value,
        changes.new_value,
        case
            when latest_build.as_of is null then 'initial'
            when changes.old_value is null then 'appeared'
            when changes.new_value is null then 'disappeared'
            else 'changed'
        end as change_kind,
        {{ as_of_date() }} as valid_from,
        cast(null as date) as valid_to
    from changes
    cross join latest_build

),

history as (

    select * from closed
    union all
    select * from opened

)

select * from history
