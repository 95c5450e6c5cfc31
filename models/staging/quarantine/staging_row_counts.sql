with unioned as (

    {% for raw_folder, base_model in base_staging_models().items() %}
        select
            '{{ raw_folder }}' as source_name,
            row_status,
            quarantine_reason,
            count(*) as row_count
        from {{ ref(base_model) }}
        group by row_status, quarantine_reason
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
