{#-
    A raw timestamp as a UTC timestamp (no time zone), or null when it cannot be parsed.
    Text with an offset (+08:00, +0800, Z) is read at that offset; text without one is local
    time in var('business_time_zone'); 10-digit numbers are Unix seconds. Impossible dates
    (2024-02-30, 0000-00-00) give null.
-#}
{% macro parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp', 'portrait')(expression)) }}
{%- endmacro %}

{% macro duckdb__parse_timestamp(expression) -%}
    {%- set text = clean_text(expression) -%}
    case
        when regexp_full_match({{ text }}, '\d{10}')
            then timezone('UTC', to_timestamp(cast({{ text }} as bigint)))
        when regexp_matches({{ text }}, '(Z|[+-]\d{2}:?\d{2})$')
            then timezone('UTC', try_strptime(
                regexp_replace({{ text }}, 'Z$', '+00:00'),
                ['%Y-%m-%dT%H:%M:%S%z', '%Y-%m-%d %H:%M:%S%z', '%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%d %H:%M:%S.%f%z']
            ))
        else timezone('UTC', timezone({{ sql_string(var('business_time_zone')) }}, try_strptime(
            {{ text }},
            [
                '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y/%m/%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f',
                '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M', '%Y/%m/%d %H:%M', '%Y-%m-%d', '%Y/%m/%d'
            ]
        )))
    end
{%- endmacro %}

{% macro spark__parse_timestamp(expression) -%}
    {%- set text = clean_text(expression) -%}
    {#- the formats of the DuckDB variant in Spark's patterns (a 'T' quoted; one letter reads one or
        two digits); text that fits no format gives null (ANSI mode off, parser policy CORRECTED) -#}
    {%- set t = "'T'" -%}
    {%- set offset_formats = [] -%}
    {%- for separator in [t, ' '] -%}
        {%- for fraction in ['', '.SSSSSS'] -%}
            {%- for zone in ['XXX', 'XX'] -%}
                {%- do offset_formats.append('yyyy-M-d' ~ separator ~ 'H:m:s' ~ fraction ~ zone) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set local_formats = [
        'yyyy-M-d H:m:s', 'yyyy-M-d' ~ t ~ 'H:m:s', 'yyyy/M/d H:m:s', 'yyyy-M-d H:m:s.SSSSSS',
        'yyyy-M-d' ~ t ~ 'H:m:s.SSSSSS', 'yyyy-M-d H:m', 'yyyy/M/d H:m', 'yyyy-M-d', 'yyyy/M/d'
    ] -%}
    case
        when {{ regex_full_match(text, "'\d{10}'") }}
            then cast(timestamp_seconds(cast({{ text }} as bigint)) as timestamp_ntz)
        when {{ regex_contains(text, "'(Z|[+-]\d{2}:?\d{2})$'") }}
            then cast(coalesce(
                {%- for format in offset_formats %}
                to_timestamp_ltz(regexp_replace({{ text }}, 'Z$', '+00:00'), {{ sql_string(format) }}){{ ',' if not loop.last }}
                {%- endfor %}
            ) as timestamp_ntz)
        else cast(to_utc_timestamp(coalesce(
            {%- for format in local_formats %}
            to_timestamp_ntz({{ text }}, {{ sql_string(format) }}){{ ',' if not loop.last }}
            {%- endfor %}
        ), {{ sql_string(var('business_time_zone')) }}) as timestamp_ntz)
    end
{%- endmacro %}
