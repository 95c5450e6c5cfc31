{#-
    For an incremental model that records builds by as_of: warns when the as_of var is not after
    the latest as_of recorded in `date_column` of the existing table (the model then adds nothing).
-#}
{% macro warn_unless_as_of_moves_forward(date_column) -%}
    {%- if execute and is_incremental() -%}
        {%- set latest = run_query('select max(' ~ date_column ~ ') from ' ~ this).columns[0].values()[0] -%}
        {%- if latest is not none and latest | string >= var('as_of') | string -%}
            {%- do exceptions.warn(this.identifier ~ ': as_of ' ~ var('as_of') ~ ' is not after the latest recorded build ('
                ~ latest ~ '); nothing recorded') -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
