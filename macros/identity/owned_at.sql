{#-
    SQL condition: the owner period `owners` (a relation with valid_from / valid_to, as in
    identity_identifier_owners) covers the time `at_sql`. valid_from is inclusive, valid_to
    exclusive, null bounds are open; a row without a time belongs to the first period.
-#}
{% macro owned_at(owners, at_sql) -%}
    ({{ owners }}.valid_from is null or {{ at_sql }} >= {{ owners }}.valid_from)
    and ({{ owners }}.valid_to is null or {{ at_sql }} < {{ owners }}.valid_to or ({{ at_sql }} is null and {{ owners }}.valid_from is null))
{%- endmacro %}
