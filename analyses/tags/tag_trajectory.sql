-- How one entity's tracked tags moved over the builds recorded in tag_history (标签演化轨迹):
--   dbt compile --select tag_trajectory --vars '{entity_id: "OID0123456789abcdef"}'
-- then run the compiled SQL (target/compiled/portrait/analyses/tags/tag_trajectory.sql).
with history as (

    select * from {{ ref('tag_history') }}
    where entity_id = {{ sql_string(var('entity_id', '')) }}

)

select
    tag_code,
    valid_from,
    valid_to,
    old_value,
    new_value,
    change_kind
from history
order by tag_code, valid_from
