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
    {{ return(adapter.dispatch('_raw_value_as_text', 'portrait')(expression, data_type)) }}
{%- endmacro %}

{% macro default___raw_value_as_text(expression, data_type) -%}
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
    {{ return(adapter.dispatch('_raw_double_as_text', 'portrait')(expression, exact_below, decimals)) }}
{%- endmacro %}

{% macro default___raw_double_as_text(expression, exact_below=9007199254740992, decimals=16) -%}
    case
        when not isfinite({{ expression }}) or {{ expression }} != trunc({{ expression }})
            then cast({{ expression }} as varchar)
        when abs({{ expression }}) < {{ exact_below }} then cast(cast({{ expression }} as bigint) as varchar)
        else printf('%.{{ decimals }}e', {{ expression }})
    end
{%- endmacro %}

{#-
    Spark: the same text from the Spark value of a Parquet column whose DuckDB type is data_type
    (the types are read by DuckDB in portrait/raw_files.py, so both engines decide alike).
-#}
{% macro spark___raw_value_as_text(expression, data_type) -%}
    {%- set data_type = data_type | upper -%}
    {%- if data_type in ('TIMESTAMP WITH TIME ZONE', 'TIMESTAMPTZ') -%}
        concat(date_format({{ expression }}, 'yyyy-MM-dd'), 'T', date_format({{ expression }}, 'HH:mm:ss.SSSSSS'), 'Z')
    {%- elif data_type.startswith('TIMESTAMP') -%}
        date_format({{ expression }}, 'yyyy-MM-dd HH:mm:ss.SSSSSS')
    {%- elif data_type == 'DATE' -%}
        date_format({{ expression }}, 'yyyy-MM-dd')
    {%- elif data_type == 'DOUBLE' -%}
        {{ _raw_double_as_text(expression) }}
    {%- elif data_type in ('FLOAT', 'REAL') -%}
        {{ _raw_double_as_text(expression, 16777216, 8) }}
    {%- elif data_type == 'BLOB' -%}
        case when is_valid_utf8({{ expression }}) then decode({{ expression }}, 'UTF-8') end
    {%- elif data_type.endswith(']') or data_type.startswith(('STRUCT', 'MAP', 'UNION')) -%}
        to_json({{ expression }})
    {%- else -%}
        cast({{ expression }} as string)
    {%- endif -%}
{%- endmacro %}

{#-
    Spark: a floating-point number as DuckDB prints it: Java's shortest digits, written plain
    from 1e-4 up (Java switches to E notation at 1e7 and below 1e-3), DuckDB's 1e-07 form below;
    nan, inf and -inf as DuckDB names them.
-#}
{% macro spark___raw_double_as_text(expression, exact_below=9007199254740992, decimals=16) -%}
    case
        when {{ expression }} is null then null
        when isnan({{ expression }}) then 'nan'
        when {{ expression }} = double('infinity') then 'inf'
        when {{ expression }} = double('-infinity') then '-inf'
        when {{ expression }} != round({{ expression }}) then
            case
                when abs({{ expression }}) >= 0.0001 then regexp_replace(
                    cast(cast(cast({{ expression }} as string) as decimal(38, 18)) as string), '0+$', '')
                else concat(
                    regexp_replace(regexp_extract(cast({{ expression }} as string), '^(-?[0-9.]+)E', 1), '\.0$', ''),
                    'e-', lpad(regexp_extract(cast({{ expression }} as string), 'E-([0-9]+)$', 1), 2, '0'))
            end
        when abs({{ expression }}) < {{ exact_below }} then cast(cast({{ expression }} as bigint) as string)
        when abs({{ expression }}) < 9223372036854775807 then {{ _raw_spark_scientific('cast(' ~ expression ~ ' as bigint)', decimals) }}
        else format_string('%.{{ decimals }}e', cast({{ expression }} as double))
    end
{%- endmacro %}

{#-
    Spark: a whole number (bigint, above 2^24) in DuckDB's '%.<decimals>e' form from its exact
    digits, rounded half to even (Java's format_string pads its shortest digits with zeros: 1e300
    has no exact 17th digit there, and neither has 6908789018982499272 as a double).
-#}
{% macro _raw_spark_scientific(whole, decimals) -%}
    {%- set magnitude = 'abs(' ~ whole ~ ')' -%}
    {%- set dropped = 'greatest(length(cast(' ~ magnitude ~ ' as string)) - ' ~ (decimals + 1) ~ ', 0)' -%}
    {%- set unit = 'cast(pow(10, ' ~ dropped ~ ') as bigint)' -%}
    {%- set kept = 'cast(' ~ magnitude ~ ' div ' ~ unit ~ ' + case when ' ~ magnitude ~ ' % ' ~ unit ~ ' * 2 > ' ~ unit
        ~ ' or (' ~ magnitude ~ ' % ' ~ unit ~ ' * 2 = ' ~ unit ~ ' and ' ~ magnitude ~ ' div ' ~ unit ~ ' % 2 = 1) then 1 else 0 end as string)' -%}
    concat(
        case when {{ whole }} < 0 then '-' else '' end,
        substr({{ kept }}, 1, 1), '.', rpad(substr({{ kept }}, 2, {{ decimals }}), {{ decimals }}, '0'),
        'e+', lpad(cast({{ dropped }} + length({{ kept }}) - 1 as string), 2, '0')
    )
{%- endmacro %}
