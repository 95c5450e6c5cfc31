{#-
    Raw folder -> base staging model of every registered source (source_registry), for the models
    that audit every raw row across sources (quarantined_rows, staging_row_counts).
-#}
{% macro base_staging_models() %}
    {%- set models = {} -%}
    {%- for entry in source_registry() -%}
        {%- do models.update({entry.raw_folder: entry.base_model}) -%}
    {%- endfor -%}
    {{ return(models) }}
{% endmacro %}
