-- Connected components of the linking edges; identifiers without a linking edge are their own component.
-- The edges go to connected_components as a relation: on Spark it runs a loop of statements over
-- work tables before this query (see the macro), which the post-hook drops (nothing on DuckDB).
{{ config(post_hook="{{ connected_components_drop_work_tables() }}") }}

with nodes as (

    select * from {{ ref('int_identity_nodes') }}

),

components as (

    {{ connected_components(ref('identity_linking_edges'), 'node_a', 'node_b') }}

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
