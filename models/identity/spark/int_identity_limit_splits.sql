{#-
    Spark twin of the dbt Python model models/identity/int_identity_limit_splits.py (dbt-spark
    runs Python models on Databricks only): the over-limit edges in strength_rank order, through
    the same function (portrait/python_models/int_identity_limit_splits.py) run by Spark as a
    script transformation (portrait/spark_models/int_identity_limit_splits.py). Same name and
    columns; dbt_project.yml enables one of the two per engine.
-#}
{%- set params -%}
    (select to_json(named_struct('types', collect_list(named_struct(
        'identifier_type', identifier_type, 'max_per_person', cast(max_per_person as bigint),
        'priority', cast(priority as bigint)))))
    from {{ ref('identifier_types') }})
{%- endset -%}
{%- set edges -%}
    select
        strength_rank,
        node_a, type_a, cast(reassign_after_days_a as bigint) as reassign_after_days_a,
        node_b, type_b, cast(reassign_after_days_b as bigint) as reassign_after_days_b,
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_seen_at as timestamp) as last_seen_at
    from {{ ref('int_identity_over_limit_edges') }}
{%- endset -%}
{{ python_transform(
    'int_identity_limit_splits', params, edges,
    ['node_a', 'type_a', 'reassign_after_days_a', 'node_b', 'type_b', 'reassign_after_days_b', 'first_seen_at', 'last_seen_at'],
    ['strength_rank'],
    'node_id string, cluster_id string, valid_from timestamp, valid_to timestamp, claimed_by_node_id string,'
    ~ ' previous_owner_last_seen_at timestamp'
) }}
