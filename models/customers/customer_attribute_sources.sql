{#-
    Survivorship rules of the golden record (customers), from the source registry (`attributes` of
    var source_registry in dbt_project.yml): for each attribute, the staging models allowed to
    supply it and their priority (1 strongest). Among candidate values the smallest priority wins,
    then the most recently observed row.
-#}
with attribute_sources as (

    {% for source in source_registry() if source.attributes %}
        {%- for attribute in source.attributes %}
            select
                {{ sql_string(attribute.name) }} as attribute_name,
                {{ sql_string(source.staging_model) }} as source_model,
                cast({{ attribute.priority }} as integer) as priority,
                cast({{ sql_string(attribute.description) if attribute.description else 'null' }} as string) as description
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from attribute_sources
