-- Every tag value of every entity in one long table (entity, entity_id, tag_code, tag_value),
-- for the catalogue, governance and history.
{%- set entities = tag_entities() %}

with
{%- for entity_name, entity in entities.items() %}

{{ entity_name }}_values as (

    select
        '{{ entity_name }}' as entity,
        {{ entity.key }} as entity_id,
        tag_code,
        tag_value
    from {{ ref(entity_name ~ '_tag_values') }}

),
{%- endfor %}

unioned as (

    {%- for entity_name in entities %}
    select * from {{ entity_name }}_values
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from unioned
