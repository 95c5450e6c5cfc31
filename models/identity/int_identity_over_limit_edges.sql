-- Linking edges inside components that hold more identifiers of some type than one person may
-- (e.g. two member_ids): the input of the limit split, with the span of their evidence and, for
-- each end whose type can change owners (var identifier_reassignment), the quiet days it needs.
{%- set reassignment_days = identifier_reassignment_days() %}

with components as (

    select * from {{ ref('int_identity_components') }}

),

linking_edges as (

    select * from {{ ref('identity_linking_edges') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

over_limit as (

    select distinct over_limit_types.component_id
    from (
        select components.component_id
        from components
        inner join identifier_types on components.identifier_type = identifier_types.identifier_type
        group by components.component_id, components.identifier_type, identifier_types.max_per_person
        having count(*) > identifier_types.max_per_person
    ) as over_limit_types

),

edges as (

    select
        linking_edges.node_a,
        split_part(linking_edges.node_a, ':', 1) as type_a,
        linking_edges.node_b,
        split_part(linking_edges.node_b, ':', 1) as type_b,
        linking_edges.strength_rank,
        linking_edges.first_seen_at,
        linking_edges.last_seen_at,
        {{ _reassignment_days_of("split_part(linking_edges.node_a, ':', 1)", reassignment_days) }} as reassign_after_days_a,
        {{ _reassignment_days_of("split_part(linking_edges.node_b, ':', 1)", reassignment_days) }} as reassign_after_days_b,
        components.component_id
    from linking_edges
    inner join components on linking_edges.node_a = components.node_id
    inner join over_limit on components.component_id = over_limit.component_id

)

select * from edges
