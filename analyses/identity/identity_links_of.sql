-- Every link inside the person holding one identifier, with the source rows behind each link:
-- the evidence that made these identifiers one person (`portrait explain identity` walks the
-- shortest chain between two of them).
-- dbt compile --select identity_links_of --vars '{identifier: "phone:13800138001"}'
-- then run the SQL printed (or in target/compiled/) against the database.
with one_ids as (

    select * from {{ ref('identity_one_ids') }}
    where is_current

),

person as (

    select one_id from one_ids
    where node_id = '{{ var("identifier", "member_id:M00000001") }}'

),

links as (

    select
        evidence.node_a,
        evidence.node_b,
        evidence.source_model,
        evidence.source_row_key,
        evidence.observed_at
    from {{ ref('identity_edge_evidence') }} as evidence
    inner join one_ids as side_a on evidence.node_a = side_a.node_id
    inner join one_ids as side_b on evidence.node_b = side_b.node_id
    inner join person on side_a.one_id = person.one_id and side_b.one_id = person.one_id

)

select * from links
order by node_a, node_b, observed_at
