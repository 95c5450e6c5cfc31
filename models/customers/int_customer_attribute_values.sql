{#-
    Every candidate value of a golden-record attribute: one row per person, attribute and source
    row that says something about it. Which column of which staging model carries which attribute,
    and which source wins, is the source registry (`attributes` of var source_registry in
    dbt_project.yml). A phone or e-mail that is blocked (a placeholder such as 13800138000) or that
    belongs to someone else at the cut-off (a recycled number now another member's) is no
    candidate: the golden record never offers a contact that is not the person's.
-#}
{%- set sources = source_registry() | selectattr('attributes') | list %}
{%- set lookups = [] %}
{%- for source in sources %}
    {%- for attribute in source.attributes if attribute.lookup and attribute.lookup.model not in lookups %}
        {%- do lookups.append(attribute.lookup.model) %}
    {%- endfor %}
{%- endfor %}

with rows_resolved as (

    select * from {{ ref('int_rows_resolved') }}

),

blocked_identifiers as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

{% for model in (sources | map(attribute='staging_model') | list) + lookups %}
    {{ model }} as (

        select
            {{ model }}.*,
            {{ source_row_key(model) }} as source_row_key
        from {{ ref(model) }} as {{ model }}

    ),
{% endfor %}

candidates as (

    {% for source in sources %}
        {%- for attribute in source.attributes %}
            {%- set holder = attribute.lookup.model if attribute.lookup else source.staging_model %}
            select
                '{{ source.staging_model }}' as source_model,
                {{ source.staging_model }}.source_row_key,
                '{{ attribute.name }}' as attribute_name,
                cast({{ holder }}.{{ attribute.column }} as string) as attribute_value
            from {{ source.staging_model }}
            {%- if attribute.lookup %}
            left join {{ holder }}
                on {{ source.staging_model }}.{{ attribute.lookup.key }} = {{ holder }}.{{ attribute.lookup.key }}
            {%- endif %}
            where {{ holder }}.{{ attribute.column }} is not null
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

resolved as (

    select
        rows_resolved.one_id,
        candidates.attribute_name,
        candidates.attribute_value,
        candidates.source_model,
        candidates.source_row_key,
        rows_resolved.observed_at
    from candidates
    inner join rows_resolved
        on
            candidates.source_model = rows_resolved.source_model
            and candidates.source_row_key = rows_resolved.source_row_key

),

contacts_checked as (

    select resolved.*
    from resolved
    where
        resolved.attribute_name not in ('phone', 'email')
        or (
            not exists (
                select 1
                from blocked_identifiers
                where
                    blocked_identifiers.identifier_type = resolved.attribute_name
                    and blocked_identifiers.identifier_value = resolved.attribute_value
            )
            and not exists (
                select 1
                from identifier_people
                where
                    identifier_people.identifier_type = resolved.attribute_name
                    and identifier_people.identifier = resolved.attribute_value
                    and identifier_people.one_id != resolved.one_id
            )
        )

)

select * from contacts_checked
