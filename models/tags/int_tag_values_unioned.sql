-- Every tag value of every entity in one long table (entity, entity_id, tag_code, tag_value),
-- for the catalogue, governance and history.
with unioned as (

    {% for entity_name, entity in tag_entities().items() %}
        select
            '{{ entity_name }}' as entity,
            {{ entity.key }} as entity_id,
            tag_code,
            tag_value
        from {{ ref(entity_name ~ '_tag_values') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
