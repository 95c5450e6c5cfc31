{#- SQL: true when a CSV record (text) splits into RFC 4180 fields: comma delimiter, double quotes, "" inside quotes. -#}
{% macro _raw_csv_well_quoted(record) -%}
    regexp_full_match(',' || {{ record }}, '(,({{ _raw_csv_field_pattern() }}))+')
{%- endmacro %}

{#- The regular expression of one RFC 4180 field: a quoted value (line breaks allowed) or an unquoted one. -#}
{% macro _raw_csv_field_pattern() -%}
    {{- return('"(?:[^"]|"")*"|[^,"]*') -}}
{%- endmacro %}
