{#-
    SQL: the identifier in `column` as a destination receives it. `column` holds the identifier's
    canonical form (normalize_identifier, the one form every layer uses: phones as 11 digits, IDFA
    upper case, OAID lower case...); the destination's normalisation then writes it as the
    platform expects (as_is = the canonical form, lower, upper; phones national = the 11 digits,
    or e164 = +86 and the 11 digits), then it is hashed (none, md5, sha256) into hex of the
    destination's hash_case. `identifier` is one entry of a destination's `identifiers` (see
    activation_destinations).
-#}
{% macro activation_identifier(column, identifier, hash_case) -%}
    {%- set normalised = {
        'as_is': column,
        'national': column,
        'lower': 'lower(' ~ column ~ ')',
        'upper': 'upper(' ~ column ~ ')',
        'e164': "'+86' || " ~ column,
    }[identifier.normalisation] -%}
    {%- if identifier.hashing == 'none' -%}
        {{ return(normalised) }}
    {%- endif -%}
    {%- set hashed = activation_hash(normalised, identifier.hashing) -%}
    {{ return('upper(' ~ hashed ~ ')' if hash_case == 'upper' else 'lower(' ~ hashed ~ ')') }}
{%- endmacro %}


{#- SQL: the md5 or sha256 hex digest of a string expression. -#}
{% macro activation_hash(expression, algorithm) -%}
    {{ return(adapter.dispatch('activation_hash', 'portrait')(expression, algorithm)) }}
{%- endmacro %}

{% macro duckdb__activation_hash(expression, algorithm) -%}
    {{ return(algorithm ~ '(' ~ expression ~ ')') }}
{%- endmacro %}

{% macro default__activation_hash(expression, algorithm) -%}
    {{ return(dbt.hash(expression) if algorithm == 'md5' else 'sha2(' ~ expression ~ ', 256)') }}
{%- endmacro %}
