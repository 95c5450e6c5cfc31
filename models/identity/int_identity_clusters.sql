-- Every person identifier with the cluster (resolved person) it belongs to, after the limit split.
-- An identifier that changed owners is listed with its first owner's cluster (the OneID registry
-- keys on it); its later owner periods are in identity_identifier_owners.
with components as (

    select * from {{ ref('int_identity_components') }}

),

splits as (

    select * from {{ ref('int_identity_limit_splits') }}
    where valid_from is null

),

clusters as (

    select
        components.node_id,
        components.identifier_type,
        coalesce(splits.cluster_id, components.component_id) as cluster_id,
        components.iterations
    from components
    left join splits on components.node_id = splits.node_id

)

select * from clusters
