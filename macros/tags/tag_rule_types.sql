{#-
    Every rule type a tag definition can use: its fields (`required`, `optional`), its `kind`
    (how the engine computes it) and the value types it can produce (empty: any).
      aggregate  one filtered aggregate per entity over a source, fused with the source's others
      top        the most frequent / highest-spend values of a column of a source
      row        a column of the entity's base model
      derived    computed from other tags of the same entity (aggregate, top or row kinds)
      sql        a raw SQL expression: an aggregate over `source` if given (`default`: the value of
                 entities without rows there), else derived
-#}
{% macro tag_rule_types() -%}
    {%- set number = ['number'] -%}
    {{ return({
        'count': {'kind': 'aggregate', 'required': [], 'optional': ['where'], 'value_types': number, 'integral': true},
        'count_distinct': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': number, 'integral': true},
        'sum': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': number},
        'avg': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': number},
        'min': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': ['number', 'date', 'string']},
        'max': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': ['number', 'date', 'string']},
        'days_since_last': {'kind': 'aggregate', 'required': [], 'optional': ['where'], 'value_types': number, 'integral': true},
        'days_since_first': {'kind': 'aggregate', 'required': [], 'optional': ['where'], 'value_types': number, 'integral': true},
        'first_value': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': []},
        'last_value': {'kind': 'aggregate', 'required': ['column'], 'optional': ['where'], 'value_types': []},
        'ratio': {'kind': 'aggregate', 'required': ['numerator', 'denominator'], 'optional': ['where'], 'value_types': number},
        'imported': {'kind': 'aggregate', 'required': ['provider', 'code'], 'optional': [], 'value_types': ['enum', 'string', 'number', 'boolean']},
        'top': {'kind': 'top', 'required': ['column'], 'optional': ['by', 'n', 'where'], 'value_types': ['enum', 'string']},
        'passthrough': {'kind': 'row', 'required': ['column'], 'optional': [], 'value_types': []},
        'bucket': {'kind': 'derived', 'required': ['of', 'bands'], 'optional': ['null_value'], 'value_types': ['enum', 'string']},
        'map': {'kind': 'derived', 'required': ['of', 'values'], 'optional': ['default'], 'value_types': ['enum', 'string']},
        'threshold': {'kind': 'derived', 'required': ['of'], 'optional': ['min', 'max'], 'value_types': ['boolean']},
        'sql': {'kind': 'sql', 'required': ['expression'], 'optional': ['default'], 'value_types': []},
    }) }}
{%- endmacro %}
