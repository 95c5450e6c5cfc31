with unioned as (

    {% for raw_folder, base_model in base_staging_models().items() %}
        select
            '{{ raw_folder }}' as source_name,
            _source_file as source_file,
            _source_row as source_row,
            quarantine_reason,
            raw_record
        from {{ ref(base_model) }}
        where row_status = 'quarantined'
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
