{#-
    Every identifier seen in a staged row: the raw material of the identity graph. Which staging
    model carries which identifiers, and when a row was observed, is the source registry
    (`identifiers` and `observed_at` of var source_registry in dbt_project.yml). Scoped ids keep
    their scope in the value (appid/openid, platform/buyer_id).
-#}
-- depends_on: {{ ref('identifier_types') }}
{%- set sources = source_registry(check_identifier_types=true) | selectattr('identifiers') | list %}

with unioned as (

    {% for source in sources %}
        {%- for identifier in source.identifiers %}
            select
                {% if identifier.type_from -%}
                    {{ identifier.type_from }}
                {%- else -%}
                    {{ sql_string(identifier.type) }}
                {%- endif %} as identifier_type,
                {{ identifier.value }} as identifier_value,
                '{{ source.staging_model }}' as source_model,
                {{ source_row_key() }} as source_row_key,
                {{ source.observed_at }} as observed_at
            from {{ ref(source.staging_model) }}
            where {{ identifier.value }} is not null
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

with_node as (

    select
        identifier_type || ':' || identifier_value as node_id,
        identifier_type,
        identifier_value,
        source_model,
        source_row_key,
        observed_at
    from unioned
    where identifier_type is not null

)

select * from with_node
