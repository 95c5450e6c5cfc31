{#-
    Members of every active segment that is not a lookalike, by where they come from: the rule
    at this as_of (dynamic and suppression), the frozen snapshot (static with a rule) or the
    matched rows of the list file (static with a list). Before suppression and exclusive groups;
    lookalike segments are fitted on these.
-#}
{%- set segments = segment_definitions() | selectattr('status', 'equalto', 'active') | list %}
{%- set ruled = segments | selectattr('type', 'in', ['dynamic', 'suppression']) | map(attribute='code') | list %}
{%- set frozen = segments | selectattr('type', 'equalto', 'static') | selectattr('condition') | map(attribute='code') | list %}
{%- set listed = segments | selectattr('list') | list %}

with qualified as (

    select * from {{ ref('int_segment_qualified') }}

),

static_members as (

    select * from {{ ref('segment_static_members') }}

),

list_entries as (

    select * from {{ ref('segment_list_entries') }}

),

customers as (

    select * from {{ ref('customers') }}

),

list_segments as (

    {%- set list_rows = [] -%}
    {%- for segment in listed -%}
        {%- do list_rows.append([segment.code, segment.list]) -%}
    {%- endfor %}
    {{ values_relation(list_rows, ['segment_code', 'list_name']) }}

),

base_members as (

    select
        segment_code,
        one_id
    from qualified
    where {{ list_has(sql_list(ruled), 'segment_code') }}

    union all

    select
        static_members.segment_code,
        static_members.one_id
    from static_members
    inner join customers on static_members.one_id = customers.one_id
    where {{ list_has(sql_list(frozen), 'static_members.segment_code') }}

    union all

    select distinct
        list_segments.segment_code,
        list_entries.one_id
    from list_segments
    inner join list_entries on list_segments.list_name = list_entries.list_name
    where list_entries.row_status = 'matched'

)

select * from base_members
