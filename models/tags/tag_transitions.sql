-- How entities moved between the values of each tracked tag at each build (标签流转): one row per
-- (tag, build as_of, from value, to value) with the number of entities, for lifecycle flows and
-- value-band migrations. A value that appeared has from_value null; one that disappeared, to_value null.
with history as (

    select * from {{ ref('tag_history') }}
    where change_kind != 'initial'

),

transitions as (

    select
        entity,
        tag_code,
        valid_from as changed_on,
        old_value as from_value,
        new_value as to_value,
        count(*) as entities
    from history
    group by entity, tag_code, valid_from, old_value, new_value

)

select * from transitions
