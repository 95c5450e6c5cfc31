{%- set bases = base_staging_models() -%}

with

{% for raw_folder, base_model in bases.items() -%}
{{ base_model }} as (

    select
        '{{ raw_folder }}' as source_name,
        row_status,
        quarantine_reason,
        count(*) as row_count
    from {{ ref(base_model) }}
    group by row_status, quarantine_reason

),

{% endfor -%}
unioned as (

    {% for base_model in bases.values() -%}
    select * from {{ base_model }}
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}

)

select * from unioned
