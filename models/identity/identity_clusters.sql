-- One row per resolved person (one_id): identifiers per type and flags for review.
-- depends_on: {{ ref('identifier_types') }}
{%- set identifier_types = [] -%}
{%- if execute -%}
    {%- set identifier_types = run_query(
        "select identifier_type from " ~ ref('identifier_types') ~ " order by priority, identifier_type"
    ).columns[0].values() -%}
{%- endif %}

with identities as (

    select * from {{ ref('customer_identities') }}

),

limited_edges as (

    select * from {{ ref('identity_limited_edges') }}
    where outcome = 'left_out'

),

left_out as (

    select one_id_a as one_id from limited_edges
    union
    select one_id_b as one_id from limited_edges

),

clusters as (

    select
        identities.one_id,
        count(*) filter (where not identities.is_shared) as identifiers,
        {%- for identifier_type in identifier_types %}
            count(*) filter (where identities.identifier_type = '{{ identifier_type }}') as {{ identifier_type }}_count,
        {%- endfor %}
        count(*) filter (where identities.is_shared) as shared_identifiers,
        count(*) filter (where not identities.is_shared) = 1 as is_singleton,
        bool_or(left_out.one_id is not null) as has_left_out_links,
        min(identities.first_seen_at) as first_seen_at,
        max(identities.last_seen_at) as last_seen_at
    from identities
    left join left_out on identities.one_id = left_out.one_id
    group by identities.one_id

)

select * from clusters
