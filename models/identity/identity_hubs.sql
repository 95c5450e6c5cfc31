-- Audit: identifiers linked to more distinct identifiers of another type than their type allows
-- (a shared family device, a phone typed in by every cashier). Hubs stop linking people; they
-- stay attached to each person as a shared attribute.
with edges as (

    select * from {{ ref('identity_edges') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

directed as (

    select
        node_a as node_id,
        type_a as identifier_type,
        node_b as neighbour_id,
        type_b as neighbour_type
    from edges
    union all
    select
        node_b as node_id,
        type_b as identifier_type,
        node_a as neighbour_id,
        type_a as neighbour_type
    from edges

),

neighbour_counts as (

    select
        directed.node_id,
        directed.identifier_type,
        directed.neighbour_type,
        count(distinct directed.neighbour_id) as distinct_neighbours,
        identifier_types.hub_max_links
    from directed
    inner join identifier_types on directed.identifier_type = identifier_types.identifier_type
    group by directed.node_id, directed.identifier_type, directed.neighbour_type, identifier_types.hub_max_links

),

hubs as (

    select
        node_id,
        identifier_type,
        max_by(neighbour_type, distinct_neighbours) as busiest_neighbour_type,
        max(distinct_neighbours) as distinct_neighbours,
        any_value(hub_max_links) as hub_max_links,
        'linked to ' || max(distinct_neighbours) || ' distinct ' || max_by(neighbour_type, distinct_neighbours)
        || ' values (more than ' || any_value(hub_max_links) || ')' as hub_reason
    from neighbour_counts
    where distinct_neighbours > hub_max_links
    group by node_id, identifier_type

)

select * from hubs
