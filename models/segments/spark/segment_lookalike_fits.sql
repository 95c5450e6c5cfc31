{#-
    Spark twin of the dbt Python model models/segments/segment_lookalike_fits.py (dbt-spark runs
    Python models on Databricks only): everyone in customer_profile or in a lookalike's seed, in
    one_id order, with the seeds they belong to and the usable tags (number and boolean customer
    tags of internal sensitivity, active, in tag_code order: read when the model runs), fitted by
    the same function (portrait/python_models/segment_lookalike_fits.py) run by Spark as a script
    transformation (portrait/spark_models/segment_lookalike_fits.py). Same name and columns;
    dbt_project.yml enables one of the two per engine.
-#}
{%- set tag_definitions = ref('tag_definitions') -%}
{%- set usable = [] -%}
{%- if execute -%}
    {%- set tags = run_query(
        "select tag_code from " ~ tag_definitions
        ~ " where entity = 'customer' and status = 'active' and sensitivity = 'internal'"
        ~ " and value_type in ('number', 'boolean') order by tag_code"
    ).columns[0].values() -%}
    {%- for tag in tags -%}{%- do usable.append(tag) -%}{%- endfor -%}
{%- endif -%}
{%- set definitions = ref('segment_definitions') -%}
{%- set params -%}
    to_json(named_struct(
        'min_seed', {{ config.get('min_seed') | int }},
        'lookalikes', (
            select collect_list(named_struct('segment_code', segment_code, 'lookalike', cast(lookalike as string)))
            from {{ definitions }}
            where segment_type = 'lookalike' and status = 'active'
        ),
        'reads', (
            select map_from_entries(collect_list(struct(segment_code, coalesce(reads_tags, array()))))
            from {{ definitions }}
        ),
        'usable', array({% for tag in usable %}{{ sql_string(tag) }}{{ ', ' if not loop.last }}{% endfor %})
    ))
{%- endset -%}
{%- set people -%}
    with seeds as (
        select distinct get_json_object(cast(lookalike as string), '$.seed') as seed
        from {{ definitions }}
        where segment_type = 'lookalike' and status = 'active'
    ),

    memberships as (
        select base.one_id, to_json(array_sort(collect_set(base.segment_code))) as seeds
        from {{ ref('segment_base_members') }} as base
        inner join seeds on base.segment_code = seeds.seed
        group by base.one_id
    ),

    profile as (
        select one_id{% for tag in usable %}, cast({{ tag }} as double) as {{ tag }}{% endfor %}
        from {{ ref('customer_profile') }}
    )

    select
        coalesce(profile.one_id, memberships.one_id) as one_id,
        profile.one_id is not null as in_profile,
        memberships.seeds{% for tag in usable %},
        profile.{{ tag }}{% endfor %}
    from profile
    full outer join memberships on profile.one_id = memberships.one_id
{%- endset -%}
with fits as (
    {{ python_transform(
        'segment_lookalike_fits', params, people, ['one_id', 'in_profile', 'seeds'] + usable, ['one_id'],
        'segment_code string, seed_segment string, status string, message string, seed_size bigint,'
        ~ ' population bigint, features string, holdout_auc double, min_member_score double, members string,'
        ~ ' scores string'
    ) }}
)

select
    segment_code,
    seed_segment,
    status,
    message,
    seed_size,
    population,
    from_json(features, 'array<string>') as features,
    holdout_auc,
    min_member_score,
    from_json(members, 'array<string>') as members,
    from_json(scores, 'array<double>') as scores
from fits
