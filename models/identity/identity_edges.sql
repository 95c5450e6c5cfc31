-- The identity graph's edges: one row per linked pair with the span and sources of its evidence.
with evidence as (

    select * from {{ ref('identity_edge_evidence') }}

),

edges as (

    select
        node_a,
        node_b,
        split_part(node_a, ':', 1) as type_a,
        split_part(node_b, ':', 1) as type_b,
        count(*) as evidence_rows,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        {{ sorted_distinct_list('source_model') }} as source_models,
        min(admitted_by) as admitted_by
    from evidence
    group by node_a, node_b

)

select * from edges
