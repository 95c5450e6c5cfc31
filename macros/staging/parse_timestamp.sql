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
