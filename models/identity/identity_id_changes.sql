-- Merge log: every one_id that stopped being used (merged) and every part that left a cluster
-- (split), per run. Append-only and kept through --full-refresh, like the registry.
{{ config(materialized='incremental', full_refresh=false, on_schema_change='fail') }}

with one_ids as (

    select * from {{ ref('identity_one_ids') }}

),

changes as (

    select
        previous_one_id as old_one_id,
        one_id as new_one_id,
        change_kind,
        case change_kind
            when 'merged' then 'new evidence linked this person to another; the id holding more identifiers survives'
            when 'split' then 'the evidence no longer links these identifiers; the part holding more keeps the old id'
        end as reason,
        count(*) as identifiers_moved,
        resolved_at as changed_at,
        {{ sql_string(var('as_of')) }}::date as as_of_date
    from one_ids
    where
        change_kind in ('merged', 'split')
        and is_current
        and resolved_at = '{{ run_started_at }}'::timestamp
    group by previous_one_id, one_id, change_kind, resolved_at

)

select * from changes
