{#-
    A SELECT of literal rows: `rows` is a list of rows, each a list of Python values written with
    sql_literal, `columns` the column names (all rows as long). No rows gives an empty relation
    of text columns. Portable: both engines read VALUES lists.
-#}
{% macro values_relation(rows, columns) -%}
    {%- if rows | length == 0 -%}
        select {% for column in columns %}cast(null as string) as {{ column }}{{ ', ' if not loop.last }}{% endfor %} where false
    {%- else -%}
        select * from (values
            {%- for row in rows %}
            ({% for value in row %}{{ sql_literal(value) }}{{ ', ' if not loop.last }}{% endfor %}){{ ',' if not loop.last }}
            {%- endfor %}
        ) as _values ({{ columns | join(', ') }})
    {%- endif -%}
{%- endmacro %}
