{#-
    SQL: a typed raw value (a Parquet column, a JSON value) as the text staging parses, so that no
    form is lost on the way (data_type is DuckDB's type name, upper case):
    - TIMESTAMP WITH TIME ZONE: the instant in UTC, ISO 8601 with 'Z' (2024-05-01T02:00:00.000000Z);
    - TIMESTAMP (also _S, _MS, _NS): wall-clock time without offset, read by staging in the
      business time zone (Parquet's isAdjustedToUTC = false);
    - DATE: 2024-05-01;
    - DOUBLE, FLOAT: a whole number below 2^53 as its digits (13912340001.0 -> 13912340001),
      others as DuckDB prints them;
    - lists, structs and maps: JSON text; anything else: DuckDB's text cast.
-#}
{% macro _raw_value_as_text(expression, data_type) -%}
    {%- set data_type = data_type | upper -%}
    {%- if data_type in ('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ') -%}
        strftime(timezone('UTC', {{ expression }}), '%Y-%m-%dT%H:%M:%S.%fZ')
    {%- elif data_type.startswith('TIMESTAMP') -%}
        strftime(cast({{ expression }} as timestamp), '%Y-%m-%d %H:%M:%S.%f')
    {%- elif data_type == 'DATE' -%}
        strftime({{ expression }}, '%Y-%m-%d')
    {%- elif data_type in ('DOUBLE', 'FLOAT', 'REAL') -%}
        {{ _raw_double_as_text(expression) }}
    {%- elif data_type.endswith(']') or data_type.startswith(('STRUCT', 'MAP', 'UNION')) -%}
        cast(to_json({{ expression }}) as varchar)
    {%- else -%}
        cast({{ expression }} as varchar)
    {%- endif -%}
{%- endmacro %}

{#- SQL: a double as text, whole numbers below 2^53 (exact in a double) as their digits. -#}
{% macro _raw_double_as_text(expression) -%}
    case
        when isfinite({{ expression }}) and {{ expression }} = trunc({{ expression }}) and abs({{ expression }}) < 9007199254740992
            then cast(cast({{ expression }} as bigint) as varchar)
        else cast({{ expression }} as varchar)
    end
{%- endmacro %}
