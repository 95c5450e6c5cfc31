{#-
    SQL that creates the database function `<seed schema>.normalize_identifier(identifier_type,
    identifier)` (a DuckDB macro; a SQL function on Spark) from the same rules as the normalize_identifier macro. Run as the
    post-hook of the seed identifier_types, so the function always matches the loaded rules; tools
    that read a build (explain_identity, exports, the profile API) normalise what a person types
    the one way staging does: `select reference.normalize_identifier('phone', '+86 139 1234 0001')`.
-#}
{% macro create_normalize_identifier_function() -%}
    {{ return(adapter.dispatch('create_normalize_identifier_function', 'portrait')()) }}
{%- endmacro %}

{% macro duckdb__create_normalize_identifier_function() -%}
    create or replace macro {{ this.schema }}.normalize_identifier(identifier_type, identifier) as
    {{ normalize_identifier('identifier_type', 'identifier', rules=identifier_rules(this)) }}
{%- endmacro %}

{% macro spark__create_normalize_identifier_function() -%}
    create or replace function {{ this.schema }}.normalize_identifier(identifier_type string, identifier string)
    returns string return
    {{ normalize_identifier('identifier_type', 'identifier', rules=identifier_rules(this)) }}
{%- endmacro %}
