-- Third-party tag values (DMP, ad platforms) received by the as_of cut-off, mapped to the person
-- their identifier points to. Rows whose identifier points to nobody (or to several people) are
-- left out; `imported` tag rules read this model.
with third_party_tags as (

    select * from {{ ref('stg_third_party__tags') }}
    where updated_at < {{ as_of_cutoff() }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

resolved as (

    select
        identifier_people.one_id,
        third_party_tags.tag_provider,
        third_party_tags.tag_code,
        third_party_tags.tag_value,
        third_party_tags.identifier_type,
        third_party_tags.updated_at,
        {{ local_date('third_party_tags.updated_at') }} as updated_date,
        {{ source_row_key('third_party_tags') }} as source_row_key
    from third_party_tags
    inner join identifier_people
        on
            third_party_tags.identifier_type = identifier_people.identifier_type
            and third_party_tags.identifier = identifier_people.identifier

)

select * from resolved
