-- One row per run: the shape of the resolution and what changed since the previous run.
{{ config(materialized='incremental', full_refresh=false, on_schema_change='fail') }}

with clusters as (

    select * from {{ ref('identity_clusters') }}

),

components as (

    select * from {{ ref('int_identity_clusters') }}

),

changes as (

    select * from {{ ref('identity_id_changes') }}
    where changed_at = '{{ run_started_at }}'::timestamp

),

size_histogram as (

    select {{ ordered_list(struct_value([['identifiers', 'size_bucket'], ['clusters', 'clusters']]), ['size_bucket']) }} as cluster_size_histogram
    from (
        select
            least(identifiers, 10) as size_bucket,
            count(*) as clusters
        from clusters
        group by size_bucket
    ) as buckets

),

summary as (

    select
        '{{ run_started_at }}'::timestamp as resolved_at,
        {{ sql_string(var('as_of')) }}::date as as_of_date,
        (select count(*) from clusters) as clusters,
        (
            select count(*) from clusters
            where is_singleton
        ) as singletons,
        (select max(identifiers) from clusters) as largest_cluster_identifiers,
        (
            select one_id from clusters
            order by identifiers desc, one_id asc limit 1
        ) as largest_cluster_one_id,
        (select cluster_size_histogram from size_histogram) as cluster_size_histogram,
        (select count(*) from {{ ref('identity_blocked_identifiers') }}) as blocked_identifiers,
        (select count(*) from {{ ref('identity_hubs') }}) as hubs,
        (
            select count(*) from {{ ref('identity_limited_edges') }}
            where outcome = 'left_out'
        ) as limited_edges,
        (select max(iterations) from components) as component_iterations,
        (
            select count(distinct old_one_id) from changes
            where change_kind = 'merged'
        ) as ids_merged,
        (
            select count(distinct new_one_id) from changes
            where change_kind = 'split'
        ) as clusters_split_off

)

select * from summary
