{#- SQL: true when a CSV record (text) splits into RFC 4180 fields: comma delimiter, double quotes, "" inside quotes. -#}
{% macro _raw_csv_well_quoted(record) -%}
    {{ regex_full_match("concat(',', " ~ record ~ ")", "'(?:,(?:" ~ _raw_csv_field_pattern() ~ "))+'") }}
{%- endmacro %}

{#-
    The regular expression of one CSV field: a quoted value (RFC 4180, line breaks allowed), the
    same behind `=` (`="4987654321098765432"`, how Taobao / Tmall / JD order exports keep Excel from
    rounding long numbers), or an unquoted value.
-#}
{% macro _raw_csv_field_pattern() -%}
    {{ return(adapter.dispatch('_raw_csv_field_pattern', 'portrait')()) }}
{%- endmacro %}

{% macro default___raw_csv_field_pattern() -%}
    {{- return('=?"(?:[^"]|"")*"|[^,"]*') -}}
{%- endmacro %}

{#- Spark: the same matches; runs of unquoted characters are taken whole (possessive) so that Java's
    backtracking engine does not recurse once per character of a long quoted value. -#}
{% macro spark___raw_csv_field_pattern() -%}
    {{- return('=?"(?:[^"]++|"")*"|[^,"]*+') -}}
{%- endmacro %}

{#- SQL: the value of one field matched by _raw_csv_field_pattern (quotes and a leading `=` removed, "" as "). -#}
{% macro _raw_csv_field_value(field) -%}
    case
        when {{ field }} like '"%' then replace(substr({{ field }}, 2, length({{ field }}) - 2), '""', '"')
        when {{ field }} like '="%' then replace(substr({{ field }}, 3, length({{ field }}) - 3), '""', '"')
        else {{ field }}
    end
{%- endmacro %}
