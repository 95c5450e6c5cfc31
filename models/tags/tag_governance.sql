{#-
    Governance findings of this build, one row per (tag, check): naming standard, likely duplicates
    found two ways (identical normalised definitions; values that agree on nearly every entity of
    a sample), deprecated tags still read, tags without any value, enum values not declared.
    The tests in tests/tags/ turn findings into warnings of `dbt build`.
-#}
{%- set sample_size = var('tag_duplicate_sample_size') %}
{%- set min_agreement = var('tag_duplicate_min_agreement') %}

with definitions as (

    select * from {{ ref('tag_definitions') }}
    where status != 'retired'

),

catalog as (

    select * from {{ ref('tag_catalog') }}

),

tag_values as (

    select * from {{ ref('int_tag_values_unioned') }}

),

naming as (

    select
        tag_code,
        'naming_window_suffix' as check_name,
        'a tag over a ' || time_window || ' window ends in _' || replace(time_window, '-', '_') as detail
    from definitions
    where time_window != 'all' and not {{ text_ends_with('tag_code', "'_' || replace(time_window, '-', '_')") }}

    union all

    select
        tag_code,
        'naming_boolean_prefix' as check_name,
        'a boolean tag starts with is_ or has_' as detail
    from definitions
    where value_type = 'boolean' and not ({{ text_starts_with('tag_code', "'is_'") }} or {{ text_starts_with('tag_code', "'has_'") }})

    union all

    select
        definitions.tag_code,
        'naming_duplicate_name' as check_name,
        'shares its name ' || definitions.name_zh || ' / ' || definitions.name_en || ' with ' || other_definitions.tag_code as detail
    from definitions
    inner join definitions as other_definitions
        on
            definitions.tag_code != other_definitions.tag_code
            and (definitions.name_zh = other_definitions.name_zh or lower(definitions.name_en) = lower(other_definitions.name_en))

),

same_definition as (

    select
        definitions.tag_code,
        'duplicate_definition' as check_name,
        'same normalised definition as ' || {{ ordered_string_agg('other_definitions.tag_code', "', '", 'other_definitions.tag_code') }} as detail
    from definitions
    inner join definitions as other_definitions
        on
            definitions.definition_fingerprint = other_definitions.definition_fingerprint
            and definitions.tag_code != other_definitions.tag_code
    group by definitions.tag_code

),

entities as (

    select distinct
        entity,
        entity_id
    from tag_values

),

sampled_entities as (

    -- A deterministic sample of each entity type, so the pairwise comparison stays cheap.
    select
        entity,
        entity_id
    from (
        select
            entity,
            entity_id,
            row_number() over (partition by entity order by md5(entity_id), entity_id) as sample_rank
        from entities
    ) as ranked_entities
    where sample_rank <= {{ sample_size }}

),

informative_values as (

    -- 0 and false are what count and flag tags hold for most entities: they are not evidence.
    select tag_values.*
    from tag_values
    inner join sampled_entities
        on tag_values.entity = sampled_entities.entity and tag_values.entity_id = sampled_entities.entity_id
    inner join definitions on tag_values.tag_code = definitions.tag_code
    where tag_values.tag_value not in ('0', 'false')

),

informative_counts as (

    select
        tag_code,
        count(*) as entities
    from informative_values
    group by tag_code

),

pairs as (

    select
        left_values.tag_code,
        right_values.tag_code as other_tag_code,
        count(*) as both_informative,
        count(*) filter (where left_values.tag_value = right_values.tag_value) as agreeing
    from informative_values as left_values
    inner join informative_values as right_values
        on
            left_values.entity = right_values.entity
            and left_values.entity_id = right_values.entity_id
            and left_values.tag_code != right_values.tag_code
    group by left_values.tag_code, right_values.tag_code

),

agreement as (

    select
        pairs.tag_code,
        pairs.other_tag_code,
        pairs.agreeing / (left_counts.entities + right_counts.entities - pairs.both_informative) as agreement,
        left_counts.entities + right_counts.entities - pairs.both_informative as compared
    from pairs
    inner join informative_counts as left_counts on pairs.tag_code = left_counts.tag_code
    inner join informative_counts as right_counts on pairs.other_tag_code = right_counts.tag_code

),

same_values as (

    select
        tag_code,
        'duplicate_values' as check_name,
        'agrees with ' || other_tag_code || ' on ' || round(100 * agreement, 1) || '% of '
        || compared || ' sampled entities holding a value other than 0 or false' as detail
    from agreement
    where agreement >= {{ min_agreement }} and compared >= 30

),

deprecated_in_use as (

    select
        tag_code,
        'deprecated_in_use' as check_name,
        'deprecated (use ' || replaced_by || ') but read by ' || {{ join_list('used_by', "', '") }} as detail
    from catalog
    where status = 'deprecated' and {{ list_size('used_by') }} > 0

),

no_values as (

    select
        tag_code,
        'no_values' as check_name,
        'no ' || entity || ' has a value' as detail
    from catalog
    where status in ('active', 'deprecated') and entities_with_value = 0

),

undeclared_values as (

    select
        tag_values.tag_code,
        'undeclared_enum_value' as check_name,
        'holds values its definition does not list: ' || {{ join_list(sorted_distinct_list('tag_values.tag_value'), "', '") }} as detail
    from tag_values
    inner join definitions
        on tag_values.tag_code = definitions.tag_code and definitions.value_type = 'enum'
    where not {{ list_has('definitions.enum_values', 'tag_values.tag_value') }}
    group by tag_values.tag_code

),

findings as (

    select * from naming
    union all
    select * from same_definition
    union all
    select * from same_values
    union all
    select * from deprecated_in_use
    union all
    select * from no_values
    union all
    select * from undeclared_values

)

select
    findings.tag_code,
    findings.check_name,
    definitions.owner,
    findings.detail
from findings
left join definitions on findings.tag_code = definitions.tag_code
