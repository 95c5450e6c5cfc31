{#-
    The OneID registry: which one_id every identifier belongs to, kept between runs.
    Each run re-resolves the clusters and hands out ids so that people whose cluster did not
    change keep theirs:
    - a cluster whose identifiers held one id keeps it;
    - when clusters merge, the id holding most of the merged identifiers survives (then the
      oldest, then the smallest) and the others are recorded as `merged`;
    - when a cluster splits, the part holding most of its identifiers (then the larger part)
      keeps the id; the other parts get new ids and are recorded as `split`;
    - a cluster of identifiers never seen before gets `OID` + 16 hex digits of md5(cluster id).
    `full_refresh: false` keeps the registry through `dbt build --full-refresh`, so a rebuild
    hands out the same ids as the incremental path.
-#}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='node_id', full_refresh=false, on_schema_change='fail') }}

with clusters as (

    select * from {{ ref('int_identity_clusters') }}

),

previous as (

    {% if is_incremental() -%}
        select
            node_id,
            one_id,
            first_assigned_at
        from {{ this }}
    {%- else -%}
        select
            null::string as node_id,
            null::string as one_id,
            null::timestamp as first_assigned_at
        where false
    {%- endif %}

),

cluster_sizes as (

    select
        cluster_id,
        count(*) as cluster_size
    from clusters
    group by cluster_id

),

claims as (

    -- How many identifiers of each current cluster carried each previous id.
    select
        clusters.cluster_id,
        previous.one_id as previous_one_id,
        count(*) as claimed_nodes,
        min(previous.first_assigned_at) as first_assigned_at
    from clusters
    inner join previous on clusters.node_id = previous.node_id
    group by clusters.cluster_id, previous.one_id

),

keepers as (

    -- Each previous id stays with the cluster holding most of its identifiers.
    select
        claims.previous_one_id,
        claims.cluster_id,
        claims.claimed_nodes,
        claims.first_assigned_at
    from claims
    inner join cluster_sizes on claims.cluster_id = cluster_sizes.cluster_id
    qualify row_number() over (
            partition by claims.previous_one_id
            order by claims.claimed_nodes desc, cluster_sizes.cluster_size desc, claims.cluster_id asc
        ) = 1

),

survivors as (

    -- A cluster keeping several previous ids (a merge) keeps the strongest one.
    select
        cluster_id,
        previous_one_id as one_id,
        first_assigned_at
    from keepers
    qualify row_number() over (
            partition by cluster_id
            order by claimed_nodes desc, first_assigned_at asc, previous_one_id asc
        ) = 1

),

cluster_ids as (

    select
        cluster_sizes.cluster_id,
        coalesce(
            survivors.one_id,
            'OID' || left(md5(cluster_sizes.cluster_id || coalesce('|' || min(claims.previous_one_id), '')), 16)
        ) as one_id,
        survivors.first_assigned_at
    from cluster_sizes
    left join survivors on cluster_sizes.cluster_id = survivors.cluster_id
    left join claims on cluster_sizes.cluster_id = claims.cluster_id
    group by cluster_sizes.cluster_id, survivors.one_id, survivors.first_assigned_at

),

assigned as (

    select
        clusters.node_id,
        clusters.identifier_type,
        cluster_ids.one_id,
        clusters.cluster_id,
        previous.one_id as previous_one_id,
        case
            when previous.one_id is null then 'new'
            when previous.one_id = cluster_ids.one_id then 'unchanged'
            when keepers.cluster_id = clusters.cluster_id then 'merged'
            else 'split'
        end as change_kind,
        coalesce(cluster_ids.first_assigned_at, '{{ run_started_at }}'::timestamp) as first_assigned_at,
        '{{ run_started_at }}'::timestamp as resolved_at,
        true as is_current
    from clusters
    inner join cluster_ids on clusters.cluster_id = cluster_ids.cluster_id
    left join previous on clusters.node_id = previous.node_id
    left join keepers on previous.one_id = keepers.previous_one_id

),

{% if is_incremental() -%}
    retired as (

    -- Identifiers no longer observed keep their last id, marked not current.
        select
            node_id,
            identifier_type,
            one_id,
            cluster_id,
            one_id as previous_one_id,
            'unchanged' as change_kind,
            first_assigned_at,
            resolved_at,
            false as is_current
        from {{ this }}
        where node_id not in (select clusters.node_id from clusters) and is_current

    ),
{%- endif %}

final as (

    select * from assigned
    {% if is_incremental() -%}
        union all
        select * from retired
    {%- endif %}

)

select * from final
