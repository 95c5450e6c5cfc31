{#-
    Every candidate value of a golden-record attribute: one row per person, attribute and source
    row that says something about it. `extractions` says which column of which staging model
    carries which attribute; which source wins is data, in seeds/customers/attribute_sources.csv.
    A phone or e-mail that is blocked (a placeholder such as 13800138000) or that belongs to
    someone else at the cut-off (a recycled number now another member's) is no candidate: the
    golden record never offers a contact that is not the person's.
-#}
{%- set extractions = {
    'stg_crm__members': {
        'member_name': 'member_name', 'gender': 'gender', 'birth_date': 'birth_date',
        'province': 'province', 'city': 'city', 'phone': 'phone', 'email': 'email',
        'member_id': 'member_id', 'member_level': 'member_level', 'register_channel': 'register_channel',
        'register_store_id': 'register_store_id', 'registered_at': 'registered_at',
    },
    'stg_pos__orders': {'province': 'stores.province', 'city': 'stores.city', 'phone': 'phone'},
    'stg_ecommerce__orders': {'phone': 'phone'},
    'stg_service__tickets': {'phone': 'phone'},
    'stg_wechat__users': {'phone': 'phone'},
    'stg_ads__leads': {'phone': 'phone'},
} -%}
-- depends_on: {{ ref('attribute_sources') }}
{%- if execute %}
    {%- for attribute_name, source_model in run_query(
        "select attribute_name, source_model from " ~ ref('attribute_sources')
    ).rows if attribute_name not in extractions.get(source_model, {}) %}
        {{ exceptions.raise_compiler_error(
            "seeds/customers/attribute_sources.csv: attribute '" ~ attribute_name ~ "' from source_model '"
            ~ source_model ~ "' has no extraction: add the column to `extractions` in "
            ~ "models/customers/int_customer_attribute_values.sql or remove the row.") }}
    {%- endfor %}
{%- endif %}

with rows_resolved as (

    select * from {{ ref('int_rows_resolved') }}

),

stores as (

    select * from {{ ref('stg_catalog__stores') }}

),

blocked_identifiers as (

    select * from {{ ref('identity_blocked_identifiers') }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

{% for model in extractions %}
    {{ model }} as (

        select
            {{ model }}.*,
            {{ source_row_key(model) }} as source_row_key
        from {{ ref(model) }} as {{ model }}

    ),
{% endfor %}

candidates as (

    {% for model, attributes in extractions.items() %}
        {%- for attribute, column in attributes.items() %}
            select
                '{{ model }}' as source_model,
                {{ model }}.source_row_key,
                '{{ attribute }}' as attribute_name,
                cast({{ column }} as varchar) as attribute_value
            from {{ model }}
            {%- if model == 'stg_pos__orders' %}
            left join stores on stg_pos__orders.store_id = stores.store_id
            {%- endif %}
            where {{ column }} is not null
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
