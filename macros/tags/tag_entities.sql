{#-
    The entities tags describe and the sources their rules read. For each entity: `key` (its id
    column), `base` (the model with one row per entity: the population and the columns
    `passthrough` rules read) and `sources` (models of rows keyed by the entity: `date` is the
    local calendar date windows apply to, `order` the columns that decide first and last rows).
    `attributes` names other models with at most one row per entity whose columns passthrough
    rules may read with `source: <name>` (model scores). A rule's columns are checked against
    the documented columns of these models.
-#}
{% macro tag_entities() -%}
    {{ return({
        'customer': {
            'key': 'one_id',
            'base': 'customers',
            'attributes': {'scores': 'customer_scores'},
            'sources': {
                'orders': {'model': 'customer_orders', 'date': 'order_date', 'order': ['ordered_at', 'order_key']},
                'order_items': {'model': 'customer_order_items', 'date': 'order_date', 'order': ['ordered_at', 'source_row_key']},
                'events': {'model': 'customer_events', 'date': 'event_date', 'order': ['event_at', 'source_row_key']},
                'third_party_tags': {'model': 'customer_third_party_tags', 'date': 'updated_date', 'order': ['updated_at', 'source_row_key']},
            },
        },
        'product': {
            'key': 'sku_id',
            'base': 'product_profiles',
            'sources': {
                'order_items': {'model': 'order_items', 'date': 'order_date', 'order': ['ordered_at', 'source_row_key']},
                'events': {'model': 'customer_events', 'date': 'event_date', 'order': ['event_at', 'source_row_key']},
            },
        },
        'store': {
            'key': 'store_id',
            'base': 'store_profiles',
            'sources': {
                'orders': {'model': 'orders', 'date': 'order_date', 'order': ['ordered_at', 'order_key']},
            },
        },
    }) }}
{%- endmacro %}
