{#-
    Frozen membership of static segments with a rule: the people the rule selected at the first
    build whose as_of is on or after the segment's `frozen_on` (or its first build). Later builds
    never change a frozen segment: kept between runs and through --full-refresh. To freeze again,
    give the segment a new code.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    full_refresh=false,
) }}
{%- set segments = segment_definitions() | selectattr('status', 'equalto', 'active') | selectattr('type', 'equalto', 'static') | selectattr('condition') | list %}

with qualified as (

    select * from {{ ref('int_segment_qualified') }}

),

frozen as (

    {% if is_incremental() -%}
        select distinct segment_code from {{ this }}
    {%- else -%}
        select cast(null as string) as segment_code
        where false
    {%- endif %}

),

freezing as (

    {%- set freezing_rows = [] -%}
    {%- for segment in segments -%}
        {%- do freezing_rows.append([segment.code, segment.frozen_on or var('as_of')]) -%}
    {%- endfor %}
    select
        segment_code,
        cast(frozen_on as date) as frozen_on
    from ({{ values_relation(freezing_rows, ['segment_code', 'frozen_on']) }}) as frozen_segments

),

snapshot as (

    select
        qualified.segment_code,
        qualified.one_id,
        {{ as_of_date() }} as frozen_as_of
    from qualified
    inner join freezing on qualified.segment_code = freezing.segment_code
    where
        freezing.frozen_on <= {{ as_of_date() }}
        and qualified.segment_code not in (select frozen.segment_code from frozen)

)

select * from snapshot
