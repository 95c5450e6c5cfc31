-- How many entities each entity type has (the denominator of tag coverage).
with counts as (

    {% for entity_name in tag_entities() %}
        select
            '{{ entity_name }}' as entity,
            count(*) as entities
        from {{ ref('int_' ~ entity_name ~ '_tags') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from counts
