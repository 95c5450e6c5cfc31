{#-
    The key of a staged row across layers: a 64-bit hash (DuckDB: hash(), UBIGINT; Spark:
    xxhash64(), BIGINT; the values differ between engines) of the lineage columns every
    staging model carries, `_source_file` and `_source_row`. Joins and groupings on it compare one
    integer instead of a path of a hundred characters. Keys are compared together with
    `source_model`; two rows of one model with the same hash would be one key, which the
    `unique_combination_of_columns` tests on [source_model, source_row_key] catch (about 5e-6 at
    20M rows of one model: n^2 / 2^65). `relation` qualifies the columns when a query joins several.
-#}
{% macro source_row_key(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ return(adapter.dispatch('source_row_key', 'portrait')(prefix)) }}
{%- endmacro %}

{% macro duckdb__source_row_key(prefix) -%}
    hash({{ prefix }}_source_file, {{ prefix }}_source_row)
{%- endmacro %}

{% macro spark__source_row_key(prefix) -%}
    xxhash64({{ prefix }}_source_file, {{ prefix }}_source_row)
{%- endmacro %}
