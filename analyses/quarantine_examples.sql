-- Three example raw records for every source and quarantine reason: what to fix upstream.
-- `dbt compile --select quarantine_examples`, then run the SQL in target/compiled/.
with ranked as (

    select
        source_name,
        quarantine_reason,
        source_file,
        source_row,
        raw_record,
        row_number() over (
            partition by source_name, quarantine_reason
            order by source_file, source_row
        ) as example_number
    from {{ ref('quarantined_rows') }}

)

select
    source_name,
    quarantine_reason,
    source_file,
    source_row,
    raw_record
from ranked
where example_number <= 3
order by source_name, quarantine_reason, example_number
