{#-
    SQL: reach of each active segment of `definitions` (a relation with segment_definitions'
    columns segment_code, status, segment_type, compiled_condition, lookalike) at every destination,
    from its members in `members` (segment_code, one_id, is_holdout): members, members held out,
    members reachable (not held out, holding an identifier the destination may receive after
    consent and the hard filters: activation_audience_identifiers) and identifiers written. A
    segment whose rule reads a customer tag not allowed for advertising (sensitivity /
    allowed_uses of tag_definitions; read directly, through another segment or in a SQL condition)
    is refused for advertising destinations: nothing is reachable there and refusal_reason says
    why. A lookalike segment is refused where its seed is. The query of segment_reach and of the
    workbench's preview of a draft.
-#}
{% macro segment_reach_sql(definitions, members) -%}
with definitions as (

    select * from {{ definitions }}
    where status = 'active'

),

members as (

    select * from {{ members }}

),

audience as (

    select * from {{ ref('activation_audience_identifiers') }}

),

destinations as (

    select * from {{ ref('activation_destinations') }}

),

tags as (

    select * from {{ ref('tag_definitions') }}
    where entity = 'customer'

),

reads_tags_not_for_advertising as (

    -- Compiled conditions name every profile column they read, nested segments and SQL included.
    select
        definitions.segment_code,
        {{ ordered_list('tags.tag_code', ['tags.tag_code']) }} as tag_codes
    from definitions
    inner join tags
        on {{ regex_contains('definitions.compiled_condition', "'\\bprofile\\.' || tags.tag_code || '\\b'") }}
    where not {{ list_has('tags.allowed_uses', "'advertising'") }}
    group by definitions.segment_code

),

tags_not_for_advertising as (

    -- A lookalike segment is learnt from its seed's members: it inherits what the seed reads.
    select * from reads_tags_not_for_advertising

    union all

    select
        definitions.segment_code,
        reads_tags_not_for_advertising.tag_codes
    from definitions
    inner join reads_tags_not_for_advertising
        on json_extract_string(definitions.lookalike, '$.seed') = reads_tags_not_for_advertising.segment_code
    where definitions.segment_type = 'lookalike'

),

pairs as (

    select
        definitions.segment_code,
        destinations.destination,
        destinations.destination_kind,
        case
            when destinations.destination_kind = 'advertising' and tags_not_for_advertising.segment_code is not null
                then 'reads tags not allowed for advertising: ' || {{ join_list('tags_not_for_advertising.tag_codes', "', '") }}
        end as refusal_reason
    from definitions
    cross join destinations
    left join tags_not_for_advertising on definitions.segment_code = tags_not_for_advertising.segment_code

),

member_counts as (

    select
        segment_code,
        count(*) as members,
        count(*) filter (where is_holdout) as holdout_members
    from members
    group by segment_code

),

written as (

    select
        members.segment_code,
        audience.destination,
        count(distinct members.one_id) as reachable_members,
        count(*) as identifiers_written
    from members
    inner join audience on members.one_id = audience.one_id
    where not members.is_holdout
    group by members.segment_code, audience.destination

),

reach as (

    select
        pairs.segment_code,
        pairs.destination,
        pairs.destination_kind,
        coalesce(member_counts.members, 0) as members,
        coalesce(member_counts.holdout_members, 0) as holdout_members,
        case when pairs.refusal_reason is null then coalesce(written.reachable_members, 0) else 0 end as reachable_members,
        case when pairs.refusal_reason is null then coalesce(written.identifiers_written, 0) else 0 end as identifiers_written,
        pairs.refusal_reason is not null as is_refused,
        pairs.refusal_reason
    from pairs
    left join member_counts on pairs.segment_code = member_counts.segment_code
    left join written
        on
            pairs.segment_code = written.segment_code
            and pairs.destination = written.destination

)

select * from reach
{%- endmacro %}
