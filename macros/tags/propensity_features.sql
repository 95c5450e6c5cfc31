{#-
    Codes of the customer tags the purchase-propensity model learns from: active or deprecated
    tags computed from a source (so they can be recomputed at a past snapshot), numeric or
    boolean, and not sensitive.
-#}
{% macro propensity_features() -%}
    {%- set codes = [] -%}
    {%- for tag in tag_definitions('customer', ['active', 'deprecated']) -%}
        {%- if tag.kind == 'aggregate' and tag.value_type in ['number', 'boolean'] and tag.sensitivity != 'sensitive' -%}
            {%- do codes.append(tag.code) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(codes) }}
{%- endmacro %}
