-- Every tag with its definition and what this build computed: coverage, distinct values, the
-- most frequent values, a numeric summary, when it was computed, and who uses it (lineage: tags
-- and segments reading it).
with definitions as (

    select * from {{ ref('tag_definitions') }}

),

tag_values as (

    select * from {{ ref('int_tag_values_unioned') }}

),

entity_counts as (

    select * from {{ ref('int_tag_entity_counts') }}

),

value_counts as (

    select
        entity,
        tag_code,
        tag_value,
        count(*) as entities
    from tag_values
    group by entity, tag_code, tag_value

),

value_summary as (

    select
        entity,
        tag_code,
        cast(sum(entities) as {{ engine_type('hugeint') }}) as entities_with_value,
        count(*) as distinct_values,
        {{ list_slice(ordered_list(struct_value([['value', 'tag_value'], ['entities', 'entities']]), ['-entities', 'tag_value']), 1, 10) }} as top_values
    from value_counts
    group by entity, tag_code

),

number_summary as (

    select
        tag_values.entity,
        tag_values.tag_code,
        min(cast(tag_values.tag_value as double)) as min_value,
        {{ median_of('cast(tag_values.tag_value as double)') }} as median_value,
        -- fsum (compensated) keeps the mean the same whatever order the rows arrive in
        {{ float_sum('cast(tag_values.tag_value as double)') }} / count(cast(tag_values.tag_value as double)) as mean_value,
        max(cast(tag_values.tag_value as double)) as max_value
    from tag_values
    inner join definitions
        on tag_values.tag_code = definitions.tag_code and definitions.value_type = 'number'
    group by tag_values.entity, tag_values.tag_code

),

segment_reads as (

    -- Segments reading each tag, from the segment definitions (metadata read at compile time).
    {%- for segment in segment_definitions() if segment.status != 'retired' %}
        {%- for tag_code in segment.reads_tags %}
            select
                {{ sql_string(tag_code) }} as tag_code,
                {{ sql_string('segment:' ~ segment.code) }} as reader
            union all
        {%- endfor %}
    {%- endfor %}
    select
        cast(null as string) as tag_code,
        cast(null as string) as reader
    where false

),

tag_reads as (

    select
        reads.read_tag_code as tag_code,
        'tag:' || definitions.tag_code as reader
    from definitions, {{ lateral_unnest('definitions.reads_tags') }} as reads (read_tag_code)
    where definitions.status != 'retired'

),

tag_readers as (

    select
        tag_code,
        {{ ordered_list('reader', ['reader']) }} as used_by
    from (
        select * from tag_reads
        union all
        select * from segment_reads
    ) as readers
    group by tag_code

),

catalog as (

    select
        definitions.tag_code,
        definitions.name_zh,
        definitions.name_en,
        definitions.description,
        definitions.category,
        definitions.entity,
        definitions.value_type,
        definitions.enum_values,
        definitions.method,
        definitions.rule_type,
        definitions.source,
        definitions.time_window,
        definitions.owner,
        definitions.refresh,
        definitions.status,
        definitions.replaced_by,
        definitions.sensitivity,
        definitions.allowed_uses,
        definitions.model_card,
        definitions.defined_in,
        entity_counts.entities,
        coalesce(value_summary.entities_with_value, 0) as entities_with_value,
        case
            when definitions.status != 'retired'
                then cast(coalesce(value_summary.entities_with_value, 0) as double) / nullif(entity_counts.entities, 0)
        end as coverage,
        coalesce(value_summary.distinct_values, 0) as distinct_values,
        value_summary.top_values,
        number_summary.min_value,
        number_summary.median_value,
        number_summary.mean_value,
        number_summary.max_value,
        coalesce(tag_readers.used_by, {{ sql_list([]) }}) as used_by,
        definitions.reads_tags,
        {{ as_of_date() }} as as_of,
        case when definitions.status != 'retired' then current_timestamp end as last_computed_at,
        definitions.rule
    from definitions
    left join entity_counts on definitions.entity = entity_counts.entity
    left join value_summary
        on definitions.entity = value_summary.entity and definitions.tag_code = value_summary.tag_code
    left join number_summary
        on definitions.entity = number_summary.entity and definitions.tag_code = number_summary.tag_code
    left join tag_readers on definitions.tag_code = tag_readers.tag_code

)

select * from catalog
