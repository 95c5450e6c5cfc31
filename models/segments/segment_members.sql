{#-
    Members of every active segment as of the as_of day, with their experiment variant. Members
    come from the rule (dynamic, suppression), the frozen snapshot or list file (static) or the
    lookalike model; then everyone in a suppression segment (opted out, complaints, staff,
    minors...) is removed from the others, and within an exclusive group a person stays only in
    the highest-priority segment they qualify for (priority 1 first, then segment code).
    variant: the segment experiment's variant or 'holdout', 'global_holdout' for the global
    holdout (var global_holdout), null without an experiment; holdouts are never exported.
-#}
{%- set segments = segment_definitions() | selectattr('status', 'equalto', 'active') | list %}

with base_members as (

    select * from {{ ref('segment_base_members') }}

),

lookalike_fits as (

    select * from {{ ref('segment_lookalike_fits') }}

),

definitions as (

    select * from {{ ref('segment_definitions') }}

),

lookalike_members as (

    select
        segment_code,
        {{ unnest_list('members') }} as one_id
    from lookalike_fits
    where status = 'fitted'

),

qualified as (

    select
        segment_code,
        one_id
    from base_members

    union all

    select
        segment_code,
        one_id
    from lookalike_members

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
            order by definitions.priority nulls last, qualified.segment_code
        ) as group_rank
    from qualified
    inner join definitions on qualified.segment_code = definitions.segment_code

),

members as (

    select
        ranked.segment_code,
        ranked.one_id,
        {{ segment_variant(segments, 'ranked.segment_code', 'ranked.one_id') }} as variant,
        {{ as_of_date() }} as as_of
    from ranked
    left join suppressed on ranked.one_id = suppressed.one_id
    where
        ranked.group_rank = 1
        and (ranked.segment_type = 'suppression' or suppressed.one_id is null)

),

final as (

    select
        segment_code,
        one_id,
        variant,
        coalesce(variant in ('holdout', 'global_holdout'), false) as is_holdout,
        as_of
    from members

)

select * from final
