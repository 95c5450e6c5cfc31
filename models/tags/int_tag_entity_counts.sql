-- How many entities each entity type has (the denominator of tag coverage).
{%- set entities = tag_entities() %}

with counts as (

    {%- for entity_name in entities %}
    select
        '{{ entity_name }}' as entity,
        count(*) as entities
    from {{ ref('int_' ~ entity_name ~ '_tags') }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from counts
