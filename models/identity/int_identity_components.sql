-- Connected components of the linking edges; identifiers without a linking edge are their own component.
with linking_edges as (

    select * from {{ ref('identity_linking_edges') }}

),

nodes as (

    select * from {{ ref('int_identity_nodes') }}

),

components as (

    {{ connected_components('linking_edges', 'node_a', 'node_b') }}

),

all_nodes as (

    select
        nodes.node_id,
        nodes.identifier_type,
        coalesce(components.component, nodes.node_id) as component_id,
        max(components.iterations) over () as iterations
    from nodes
    left join components on nodes.node_id = components.node

)

select * from all_nodes
