{#-
    The rows of a landed raw table (land_raw_sources) a base staging model reads: every row in a
    full build; in an incremental run only the rows of file versions (`_landing_id`) the model
    has not processed yet. validate_rows adds back the earlier rows whose status those can change.
-#}
{% macro landed_rows(relation) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
    where _landing_id not in (select distinct _landing_id from {{ this }})
    {%- endif %}
{%- endmacro %}
