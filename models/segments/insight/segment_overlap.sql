-- Every ordered pair of active segments: members of each, members in both, the share of the
-- first segment's members also in the second, and the Jaccard index (both / either).
with members as (

    select * from {{ ref('segment_members') }}

),

sizes as (

    select
        segment_code,
        count(*) as members
    from members
    group by segment_code

),

shared as (

    select
        members.segment_code,
        other_members.segment_code as other_segment_code,
        count(*) as shared_members
    from members
    inner join members as other_members on members.one_id = other_members.one_id
    group by members.segment_code, other_members.segment_code

),

overlap as (

    select
        sizes.segment_code,
        other_sizes.segment_code as other_segment_code,
        sizes.members,
        other_sizes.members as other_members,
        coalesce(shared.shared_members, 0) as shared_members,
        coalesce(shared.shared_members, 0) / sizes.members as share_of_members,
        coalesce(shared.shared_members, 0)
        / (sizes.members + other_sizes.members - coalesce(shared.shared_members, 0)) as jaccard
    from sizes
    cross join sizes as other_sizes
    left join shared
        on
            sizes.segment_code = shared.segment_code
            and other_sizes.segment_code = shared.other_segment_code

)

select * from overlap
