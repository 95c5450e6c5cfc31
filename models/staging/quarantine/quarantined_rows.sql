{%- set bases = base_staging_models() -%}

with

{% for raw_folder, base_model in bases.items() -%}
{{ base_model }} as (

    select
        '{{ raw_folder }}' as source_name,
        _source_file as source_file,
        _source_row as source_row,
        quarantine_reason,
        raw_record
    from {{ ref(base_model) }}
    where row_status = 'quarantined'

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
