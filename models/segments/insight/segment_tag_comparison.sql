{#-
    How each active segment differs from its base population (the segment's compare_to segment,
    else every customer) on every value of the categorical customer tags (enum and boolean):
    the share of the segment holding the value, the share of the base, TGI (segment share / base
    share x 100; above 100 over-represented) and the difference in shares, ranked by its size
    (influence_rank 1 = the value that sets the segment apart most).
-#}
with members as (

    select * from {{ ref('segment_members') }}

),

definitions as (

    select * from {{ ref('segment_definitions') }}
    where status = 'active'

),

tag_definitions as (

    select * from {{ ref('tag_definitions') }}

),

tag_values as (

    select * from {{ ref('customer_tag_values') }}

),

profile as (

    select * from {{ ref('customer_profile') }}

),

categorical_values as (

    select
        tag_values.one_id,
        tag_values.tag_code,
        tag_values.tag_value
    from tag_values
    inner join tag_definitions
        on
            tag_values.tag_code = tag_definitions.tag_code
            and tag_definitions.entity = 'customer'
            and tag_definitions.value_type in ('enum', 'boolean')

),

population_members as (

    select
        '*' as population,
        one_id
    from profile

    union all

    select
        segment_code as population,
        one_id
    from members

),

population_sizes as (

    select
        population,
        count(*) as people
    from population_members
    group by population

),

value_counts as (

    select
        population_members.population,
        categorical_values.tag_code,
        categorical_values.tag_value,
        count(*) as people
    from population_members
    inner join categorical_values on population_members.one_id = categorical_values.one_id
    group by all

),

compared as (

    select
        segment_code,
        coalesce(compare_to, '*') as base_population
    from definitions

),

compared_values as (

    select
        compared.segment_code,
        compared.base_population,
        value_counts.tag_code,
        value_counts.tag_value
    from compared
    inner join value_counts
        on value_counts.population in (compared.segment_code, compared.base_population)
    group by all

),

comparison as (

    select
        compared_values.segment_code,
        case compared_values.base_population when '*' then 'all customers' else compared_values.base_population end
            as base_population,
        compared_values.tag_code,
        compared_values.tag_value,
        coalesce(segment_counts.people, 0) as segment_people,
        segment_sizes.people as segment_size,
        coalesce(base_counts.people, 0) as base_people,
        base_sizes.people as base_size,
        coalesce(segment_counts.people, 0) / segment_sizes.people as segment_share,
        coalesce(base_counts.people, 0) / base_sizes.people as base_share
    from compared_values
    inner join population_sizes as segment_sizes on compared_values.segment_code = segment_sizes.population
    inner join population_sizes as base_sizes on compared_values.base_population = base_sizes.population
    left join value_counts as segment_counts
        on
            compared_values.segment_code = segment_counts.population
            and compared_values.tag_code = segment_counts.tag_code
            and compared_values.tag_value = segment_counts.tag_value
    left join value_counts as base_counts
        on
            compared_values.base_population = base_counts.population
            and compared_values.tag_code = base_counts.tag_code
            and compared_values.tag_value = base_counts.tag_value

),

ranked as (

    select
        *,
        round(100 * segment_share / nullif(base_share, 0), 1) as tgi,
        segment_share - base_share as share_difference,
        cast(row_number() over (
            partition by segment_code
            order by abs(segment_share - base_share) desc, tag_code asc, tag_value asc
        ) as bigint) as influence_rank
    from comparison

)

select * from ranked
