-- Every row of every landed raw table is staged, quarantined or removed as a duplicate: none vanish.
with row_counts as (

    {% for raw_folder, base_model in base_staging_models().items() %}
        select
            '{{ raw_folder }}' as source_name,
            (select count(*) from raw.{{ raw_folder }}) as raw_rows,
            (select count(*) from {{ ref(base_model) }}) as base_rows
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

accounted as (

    select
        source_name,
        sum(row_count) as accounted_rows
    from {{ ref('staging_row_counts') }}
    group by source_name

)

select
    row_counts.source_name,
    row_counts.raw_rows,
    row_counts.base_rows,
    accounted.accounted_rows
from row_counts
left join accounted on row_counts.source_name = accounted.source_name
where
    row_counts.raw_rows != row_counts.base_rows
    or row_counts.raw_rows != coalesce(accounted.accounted_rows, 0)
