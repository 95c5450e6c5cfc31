{#-
    The identifier types whose values can change owners (var `identifier_reassignment`), as a
    dict type -> quiet days: a newer claim takes a value from its older owner only when the
    older owner's last evidence with it is at least that many days before the claim. A type set
    to `true` gets 90 days (mainland carriers hold a cancelled number for about 90 days before
    re-issuing it); `false` or leaving the type out turns reassignment off for it.
-#}
{% macro identifier_reassignment_days() -%}
    {%- set setting = var('identifier_reassignment', {}) -%}
    {%- if setting is none or setting is false -%}
        {{ return({}) }}
    {%- endif -%}
    {%- if setting is not mapping -%}
        {%- do exceptions.raise_compiler_error(
            "var 'identifier_reassignment' must map identifier types to true, false or a number of quiet days "
            ~ "(e.g. {phone: 90}); got " ~ setting
        ) -%}
    {%- endif -%}
    {%- set days = {} -%}
    {%- for identifier_type, value in setting.items() -%}
        {%- if value is sameas true -%}
            {%- do days.update({identifier_type: 90}) -%}
        {%- elif value is sameas false or value is none -%}
        {%- elif value is number and value >= 0 and value == value | int -%}
            {%- do days.update({identifier_type: value | int}) -%}
        {%- else -%}
            {%- do exceptions.raise_compiler_error(
                "var 'identifier_reassignment', type '" ~ identifier_type ~ "': expected true, false or a whole "
                ~ "number of quiet days >= 0, got " ~ value
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(days) }}
{%- endmacro %}


{#- SQL: the quiet days of the type in `type_sql` (an integer), null when its values never change owners. -#}
{% macro _reassignment_days_of(type_sql, reassignment_days) -%}
    {%- if reassignment_days -%}
        case {{ type_sql }}
            {%- for identifier_type, days in reassignment_days.items() | sort %}
            when {{ sql_string(identifier_type) }} then {{ days }}
            {%- endfor %}
        end
    {%- else -%}
        cast(null as integer)
    {%- endif -%}
{%- endmacro %}
