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
) }}

{%- if execute and is_incremental() %}
    {%- set latest = run_query('select max(valid_from) from ' ~ this).columns[0].values()[0] %}
    {%- if latest is not none and latest | string >= var('as_of') | string %}
        {%- do exceptions.warn('tag_history: as_of ' ~ var('as_of') ~ ' is not after the latest recorded build (' ~ latest ~ '); history left unchanged') %}
    {%- endif %}
{%- endif %}

with tracked as (

    select * from {{ ref('tag_definitions') }}
    where track_history and status != 'retired'

),

current_values as (

    select tag_values.*
    from {{ ref('int_tag_values_unioned') }} as tag_values
    inner join tracked on tag_values.tag_code = tracked.tag_code

),

{%- if is_incremental() %}

open_rows as (

    select history.*
    from {{ this }} as history
    inner join tracked on history.tag_code = tracked.tag_code
    where history.valid_to is null
        and (select max(valid_from) from {{ this }}) < {{ as_of_date() }}

),

changes as (

    select
        coalesce(current_values.entity, open_rows.entity) as entity,
        coalesce(current_values.entity_id, open_rows.entity_id) as entity_id,
        coalesce(current_values.tag_code, open_rows.tag_code) as tag_code,
        open_rows.new_value as old_value,
        current_values.tag_value as new_value,
        open_rows.valid_from as old_valid_from
    from current_values
    full outer join open_rows
        on
            current_values.entity = open_rows.entity
            and current_values.entity_id = open_rows.entity_id
            and current_values.tag_code = open_rows.tag_code
    where
        (select max(valid_from) from {{ this }}) < {{ as_of_date() }}
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
        entity,
        entity_id,
        tag_code,
        old_value,
        new_value,
        case
            when old_value is null then 'appeared'
            when new_value is null then 'disappeared'
            else 'changed'
        end as change_kind,
        {{ as_of_date() }} as valid_from,
        cast(null as date) as valid_to
    from changes

),

history as (

    select * from closed
    union all
    select * from opened

)

{%- else %}

history as (

    select
        entity,
        entity_id,
        tag_code,
        cast(null as varchar) as old_value,
        tag_value as new_value,
        'initial' as change_kind,
        {{ as_of_date() }} as valid_from,
        cast(null as date) as valid_to
    from current_values

)

{%- endif %}

select * from history
