{#-
    The point-in-time cut-off of the customer layer: the UTC timestamp (no time zone) at which the
    `as_of` day ends in var('business_time_zone'), i.e. local midnight after that day. Every model
    keeps only what happened strictly before it (`event_at < {{ as_of_cutoff() }}`).
-#}
{% macro as_of_cutoff() -%}
    {{ return(adapter.dispatch('as_of_cutoff', 'portrait')()) }}
{%- endmacro %}

{% macro duckdb__as_of_cutoff() -%}
    timezone('UTC', timezone(
        {{ sql_string(var('business_time_zone')) }},
        cast(cast({{ sql_string(var('as_of')) }} as date) + interval 1 day as timestamp)
    ))
{%- endmacro %}

{% macro spark__as_of_cutoff() -%}
    cast(to_utc_timestamp(
        cast(date_add(to_date({{ sql_string(var('as_of')) }}), 1) as timestamp_ntz),
        {{ sql_string(var('business_time_zone')) }}
    ) as timestamp_ntz)
{%- endmacro %}
