{#-
    The experiment variant of a member, as SQL over the segment code and one_id columns:
    'global_holdout' for the global holdout (var global_holdout: {percent, salt}; never for
    suppression segments), else the variant the segment's experiment assigns by
    `segment_bucket(one_id, salt)`: variants and holdout take consecutive ranges of the 10,000
    buckets in the order written; null when the segment has no experiment.
-#}
{% macro segment_variant(segments, segment_code, one_id) -%}
    {%- set global = var('global_holdout') -%}
    case
        {%- if global.percent > 0 %}
        when not {{ list_has(sql_list(segments | selectattr('type', 'equalto', 'suppression') | map(attribute='code') | list), segment_code) }}
            and {{ segment_bucket(one_id, global.salt) }} < {{ (global.percent * 100) | round | int }}
            then 'global_holdout'
        {%- endif %}
        {%- for segment in segments if segment.experiment %}
        {%- set upper = namespace(bucket=0) %}
        {%- for name, percent in segment.experiment.shares.items() %}
        {%- set upper.bucket = upper.bucket + percent * 100 %}
        when {{ segment_code }} = {{ sql_string(segment.code) }} and {{ segment_bucket(one_id, segment.experiment.salt) }} < {{ upper.bucket | round | int }}
            then {{ sql_string(name) }}
        {%- endfor %}
        {%- endfor %}
    end
{%- endmacro %}


{#- A stable bucket 0..9999 of one_id for a salt: the first 32 bits of md5(one_id || ':' || salt), modulo 10,000. -#}
{% macro segment_bucket(one_id, salt) -%}
    {{ return(adapter.dispatch('segment_bucket', 'portrait')(one_id, salt)) }}
{%- endmacro %}

{% macro duckdb__segment_bucket(one_id, salt) -%}
    cast(('0x' || left(md5({{ one_id }} || ':' || {{ sql_string(salt) }}), 8)) as ubigint) % 10000
{%- endmacro %}

{% macro spark__segment_bucket(one_id, salt) -%}
    cast(conv(left(md5({{ one_id }} || ':' || {{ sql_string(salt) }}), 8), 16, 10) as bigint) % 10000
{%- endmacro %}
