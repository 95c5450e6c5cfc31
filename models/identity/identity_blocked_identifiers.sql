-- Audit: identifier values that are never used to link people, with the rule that blocked them.
-- The blocklist seed is read at compile time so every pattern is a constant (compiled once).
-- depends_on: {{ ref('identifier_blocklist') }}
{%- set rules = [] -%}
{%- if execute -%}
    {%- set rules = run_query(
        "select identifier_type, match_kind, pattern, reason from " ~ ref('identifier_blocklist')
        ~ " order by match_kind, identifier_type, pattern"
    ).rows -%}
{%- endif %}

with observations as (

    select * from {{ ref('identifier_observations') }}

),

identifier_types as (

    select * from {{ ref('identifier_types') }}

),

nodes as (

    select
        node_id,
        identifier_type,
        identifier_value,
        count(*) as observations,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at
    from observations
    group by node_id, identifier_type, identifier_value

),

screened as (

    select
        nodes.*,
        case
            when identifier_types.identifier_type is null
                then 'unknown identifier type: add it to seeds/identity/identifier_types.csv'
            {%- for rule in rules %}
                when
                    {{ "true" if rule['identifier_type'] == '*' else "nodes.identifier_type = " ~ sql_string(rule['identifier_type']) }}
                    and {% if rule['match_kind'] == 'exact' -%}
                        nodes.identifier_value = {{ sql_string(rule['pattern']) }}
                {%- else -%}
                        {{ regex_contains('nodes.identifier_value', sql_string(rule['pattern'])) }}
                {%- endif %}
                    then {{ sql_string('blocklist: ' ~ rule['reason']) }}
            {%- endfor %}
        end as block_reason
    from nodes
    left join identifier_types on nodes.identifier_type = identifier_types.identifier_type

),

blocked as (

    select
        node_id,
        identifier_type,
        identifier_value,
        block_reason,
        observations,
        first_seen_at,
        last_seen_at
    from screened
    where block_reason is not null

)

select * from blocked
