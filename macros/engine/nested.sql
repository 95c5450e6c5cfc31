{#- Structs and JSON text, spelled per engine. -#}

{#-
    A struct value from `fields`, a list of [name, SQL expression] pairs (in that order): structs
    compare field by field in order, so min/max of one picks the first by those fields.
-#}
{% macro struct_value(fields) -%}
    {{ return(adapter.dispatch('struct_value', 'portrait')(fields)) }}
{%- endmacro %}

{% macro duckdb__struct_value(fields) -%}
    { {%- for name, expression in fields %}{{ sql_string(name) }}: {{ expression }}{{ ', ' if not loop.last }}{% endfor -%} }
{%- endmacro %}

{% macro spark__struct_value(fields) -%}
    named_struct({%- for name, expression in fields %}{{ sql_string(name) }}, {{ expression }}{{ ', ' if not loop.last }}{% endfor -%})
{%- endmacro %}

{#- A struct as JSON text, null fields written as null: {"member_id":"M1","phone":null}. -#}
{% macro json_text(expression) -%}
    {{ return(adapter.dispatch('json_text', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__json_text(expression) -%}
    to_json({{ expression }})::string
{%- endmacro %}

{% macro spark__json_text(expression) -%}
    to_json({{ expression }}, map('ignoreNullFields', 'false'))
{%- endmacro %}

{#- Text that holds a valid JSON document, as the engine's JSON type (text on Spark); null when it does not parse. -#}
{% macro parse_json_text(expression) -%}
    {{ return(adapter.dispatch('parse_json_text', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_json_text(expression) -%}
    try_cast({{ expression }} as json)
{%- endmacro %}

{% macro spark__parse_json_text(expression) -%}
    case when try_parse_json({{ expression }}) is not null then {{ expression }} end
{%- endmacro %}

{#- Aggregate: the distinct non-null values of `expression`, sorted ascending, as a list. -#}
{% macro sorted_distinct_list(expression) -%}
    {{ return(adapter.dispatch('sorted_distinct_list', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__sorted_distinct_list(expression) -%}
    list(distinct {{ expression }} order by {{ expression }})
{%- endmacro %}

{% macro spark__sorted_distinct_list(expression) -%}
    array_sort(collect_set({{ expression }}))
{%- endmacro %}

{#-
    Aggregate: the values of `expression` as a list ordered by `order_by`, a list of ascending
    SQL keys (negate a number to order it descending), the last of which breaks every tie.
-#}
{% macro ordered_list(expression, order_by) -%}
    {{ return(adapter.dispatch('ordered_list', 'portrait')(expression, order_by)) }}
{%- endmacro %}

{% macro duckdb__ordered_list(expression, order_by) -%}
    list({{ expression }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{% macro spark__ordered_list(expression, order_by) -%}
    transform(
        array_sort(collect_list(struct({% for key in order_by %}{{ key }} as _key{{ loop.index }}, {% endfor %}{{ expression }} as _value))),
        _entry -> _entry._value
    )
{%- endmacro %}

{#- Aggregate: the values of `expression` joined by `separator` (SQL text), ordered by `order_by` (SQL). -#}
{% macro ordered_string_agg(expression, separator, order_by) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'portrait')(expression, separator, order_by)) }}
{%- endmacro %}

{% macro duckdb__ordered_string_agg(expression, separator, order_by) -%}
    string_agg({{ expression }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__ordered_string_agg(expression, separator, order_by) -%}
    listagg({{ expression }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}

{#- A list of the SQL expressions in `expressions` (one type), e.g. an ordering key of several parts. -#}
{% macro list_of(expressions) -%}
    {{ return(adapter.dispatch('list_of', 'portrait')(expressions)) }}
{%- endmacro %}

{% macro duckdb__list_of(expressions) -%}
    [{{ expressions | join(', ') }}]
{%- endmacro %}

{% macro spark__list_of(expressions) -%}
    array({{ expressions | join(', ') }})
{%- endmacro %}

{#- true when the list `list_expression` holds `value`. -#}
{% macro list_has(list_expression, value) -%}
    {{ return(adapter.dispatch('list_has', 'portrait')(list_expression, value)) }}
{%- endmacro %}

{% macro duckdb__list_has(list_expression, value) -%}
    list_contains({{ list_expression }}, {{ value }})
{%- endmacro %}

{% macro spark__list_has(list_expression, value) -%}
    array_contains({{ list_expression }}, {{ value }})
{%- endmacro %}

{#- The number of elements of a list. -#}
{% macro list_size(list_expression) -%}
    {{ return(adapter.dispatch('list_size', 'portrait')(list_expression)) }}
{%- endmacro %}

{% macro duckdb__list_size(list_expression) -%}
    len({{ list_expression }})
{%- endmacro %}

{% macro spark__list_size(list_expression) -%}
    size({{ list_expression }})
{%- endmacro %}

{#- The elements of a list of text joined by `separator` (SQL text); null elements left out. -#}
{% macro join_list(list_expression, separator) -%}
    {{ return(adapter.dispatch('join_list', 'portrait')(list_expression, separator)) }}
{%- endmacro %}

{% macro duckdb__join_list(list_expression, separator) -%}
    array_to_string({{ list_expression }}, {{ separator }})
{%- endmacro %}

{% macro spark__join_list(list_expression, separator) -%}
    array_join({{ list_expression }}, {{ separator }})
{%- endmacro %}

{#- Elements `first` to `last` (1-based, inclusive) of a list. -#}
{% macro list_slice(list_expression, first, last) -%}
    {{ return(adapter.dispatch('list_slice', 'portrait')(list_expression, first, last)) }}
{%- endmacro %}

{% macro duckdb__list_slice(list_expression, first, last) -%}
    ({{ list_expression }})[{{ first }}:{{ last }}]
{%- endmacro %}

{% macro spark__list_slice(list_expression, first, last) -%}
    slice({{ list_expression }}, {{ first }}, {{ last }} - {{ first }} + 1)
{%- endmacro %}

{#- In a select list: one row per element of the list (the element's value). -#}
{% macro unnest_list(list_expression) -%}
    {{ return(adapter.dispatch('unnest_list', 'portrait')(list_expression)) }}
{%- endmacro %}

{% macro duckdb__unnest_list(list_expression) -%}
    unnest({{ list_expression }})
{%- endmacro %}

{% macro spark__unnest_list(list_expression) -%}
    explode({{ list_expression }})
{%- endmacro %}

{#- In a FROM clause after a comma: a row per element of a list of the row before, `alias(column)`. -#}
{% macro lateral_unnest(list_expression) -%}
    {{ return(adapter.dispatch('lateral_unnest', 'portrait')(list_expression)) }}
{%- endmacro %}

{% macro duckdb__lateral_unnest(list_expression) -%}
    unnest({{ list_expression }})
{%- endmacro %}

{% macro spark__lateral_unnest(list_expression) -%}
    lateral explode({{ list_expression }})
{%- endmacro %}

{#- A struct of every column in scope except the named ones, in table order, named as the columns. -#}
{% macro struct_of_columns_except(columns) -%}
    {{ return(adapter.dispatch('struct_of_columns_except', 'portrait')(columns)) }}
{%- endmacro %}

{% macro duckdb__struct_of_columns_except(columns) -%}
    struct_pack(*columns(* exclude ({{ columns | join(', ') }})))
{%- endmacro %}

{% macro spark__struct_of_columns_except(columns) -%}
    struct(* except ({{ columns | join(', ') }}))
{%- endmacro %}

{#- The element of a list at 1-based `position` (SQL); null past its end. -#}
{% macro list_element(list_expression, position) -%}
    {{ return(adapter.dispatch('list_element', 'portrait')(list_expression, position)) }}
{%- endmacro %}

{% macro duckdb__list_element(list_expression, position) -%}
    {{ list_expression }}[{{ position }}]
{%- endmacro %}

{% macro spark__list_element(list_expression, position) -%}
    element_at({{ list_expression }}, {{ position }})
{%- endmacro %}

{#- Each element of a list mapped by `expression`, SQL in which `variable` names the element. -#}
{% macro list_map(list_expression, variable, expression) -%}
    {{ return(adapter.dispatch('list_map', 'portrait')(list_expression, variable, expression)) }}
{%- endmacro %}

{% macro duckdb__list_map(list_expression, variable, expression) -%}
    list_transform({{ list_expression }}, lambda {{ variable }}: {{ expression }})
{%- endmacro %}

{% macro spark__list_map(list_expression, variable, expression) -%}
    transform({{ list_expression }}, {{ variable }} -> {{ expression }})
{%- endmacro %}
