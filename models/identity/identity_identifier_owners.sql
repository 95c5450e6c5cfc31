-- Who owns each identifier when: one row per identifier and owner period. Most identifiers have
-- one period (valid_from and valid_to null). A recycled number (var identifier_reassignment) has
-- one per owner: the earlier owner's ends where a newer claim starts the next one.
with one_ids as (

    select * from {{ ref('identity_one_ids') }}
    where is_current

),

splits as (

    select * from {{ ref('int_identity_limit_splits') }}
    where valid_from is not null

),

cluster_one_ids as (

    select
        cluster_id,
        min(one_id) as one_id
    from one_ids
    group by cluster_id

),

first_periods as (

    select
        one_ids.node_id,
        one_ids.identifier_type,
        one_ids.one_id,
        cast(null as timestamp) as valid_from,
        min(splits.valid_from) as valid_to,
        cast(null as string) as claimed_by_node_id,
        cast(null as timestamp) as previous_owner_last_seen_at
    from one_ids
    left join splits on one_ids.node_id = splits.node_id
    group by one_ids.node_id, one_ids.identifier_type, one_ids.one_id

),

later_periods as (

    select
        splits.node_id,
        split_part(splits.node_id, ':', 1) as identifier_type,
        cluster_one_ids.one_id,
        splits.valid_from,
        splits.valid_to,
        splits.claimed_by_node_id,
        splits.previous_owner_last_seen_at
    from splits
    inner join cluster_one_ids on splits.cluster_id = cluster_one_ids.cluster_id

),

periods as (

    select * from first_periods
    union all
    select * from later_periods

),

owners as (

    select
        node_id,
        identifier_type,
        substr(node_id, instr(node_id, ':') + 1) as identifier_value,
        one_id,
        valid_from,
        valid_to,
        valid_to is null as is_latest_owner,
        cast(row_number() over (partition by node_id order by valid_from nulls first) as bigint) as owner_number,
        lag(one_id) over (partition by node_id order by valid_from nulls first) as previous_one_id,
        claimed_by_node_id,
        previous_owner_last_seen_at
    from periods

)

select * from owners
