{#-
    The key of a staged row across layers: `<raw file>#<record number>`, from the lineage columns
    every staging model carries. `relation` qualifies the columns when a query joins several.
-#}
{% macro source_row_key(relation=none) -%}
    {%- set prefix = relation ~ '.' if relation else '' -%}
    {{ prefix }}_source_file || '#' || {{ prefix }}_source_row
{%- endmacro %}
