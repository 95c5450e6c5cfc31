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
