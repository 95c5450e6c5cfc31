{#-
    SQL: a typed raw value (a Parquet column, a JSON value) as the text staging parses, so that no
    form is lost on the way (data_type is DuckDB's type name, upper case):
    - TIMESTAMP WITH TIME ZONE: the instant in UTC, ISO 8601 with 'Z' (2024-05-01T02:00:00.000000Z);
    - TIMESTAMP (also _S, _MS, _NS): wall-clock time without offset, read by staging in the
      business time zone (Parquet's isAdjustedToUTC = false);
    - DATE: 2024-05-01;
    - DOUBLE: a whole number below 2^53 as its digits (13912340001.0 -> 13912340001); FLOAT
      (32 bits) the same below 2^24, where it is exact; a larger whole number in scientific
      notation with every significant digit it holds (1.39123405e+10: an imprecise number is never
      read as an identifier's digits); others as DuckDB prints them;
    - BLOB (text written without Parquet's UTF-8 annotation, as Hive and Impala do): decoded as
      UTF-8, null when it is not valid UTF-8;
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
    {%- elif data_type == 'DOUBLE' -%}
        {{ _raw_double_as_text(expression) }}
    {%- elif data_type in ('FLOAT', 'REAL') -%}
        {{ _raw_double_as_text(expression, 16777216, 8) }}
    {%- elif data_type == 'BLOB' -%}
        try(decode({{ expression }}))
    {%- elif data_type.endswith(']') or data_type.startswith(('STRUCT', 'MAP', 'UNION')) -%}
        cast(to_json({{ expression }}) as varchar)
    {%- else -%}
        cast({{ expression }} as varchar)
    {%- endif -%}
{%- endmacro %}

{#-
    SQL: a floating-point number as text: a whole number below `exact_below` (2^53 for a double)
    as its digits, a larger whole number in scientific notation with `decimals` digits after the
    point (every significant digit: 16 for a double, 8 for a float), anything else as DuckDB prints it.
-#}
{% macro _raw_double_as_text(expression, exact_below=9007199254740992, decimals=16) -%}
    case
        when not isfinite({{ expression }}) or {{ expression }} != trunc({{ expression }})
            then cast({{ expression }} as varchar)
        when abs({{ expression }}) < {{ exact_below }} then cast(cast({{ expression }} as bigint) as varchar)
        else printf('%.{{ decimals }}e', {{ expression }})
    end
{%- endmacro %}
