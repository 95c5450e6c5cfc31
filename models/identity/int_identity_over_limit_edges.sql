-- Linking edges inside components that hold more identifiers of some type than one person may
-- (e.g. two member_ids): the input of the limit split.
with components as (

    select * from {{ ref('int_identity_components') }}

),

linking_edges as (

    select * from {{ ref('int_identity_linking_edges') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

over_limit as (

    select components.component_id
    from components
    inner join identifier_types on components.identifier_type = identifier_types.identifier_type
    group by components.component_id, components.identifier_type, identifier_types.max_per_person
    having count(*) > identifier_types.max_per_person
    qualify row_number() over (partition by components.component_id) = 1

),

edges as (

    select
        linking_edges.node_a,
        split_part(linking_edges.node_a, ':', 1) as type_a,
        linking_edges.node_b,
        split_part(linking_edges.node_b, ':', 1) as type_b,
        linking_edges.strength_rank,
        components.component_id
    from linking_edges
    inner join components on linking_edges.node_a = components.node_id
    inner join over_limit on components.component_id = over_limit.component_id

)

select * from edges
