{#- The aggregate expression of an aggregate tag over the rows of its scan (grouped by entity). -#}
{% macro _tag_aggregate(tag, source) -%}
    {%- set rule = tag.rule -%}
    {%- set filter = _tag_filter(tag, source) -%}
    {%- if rule.type in ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] -%}
        {{ _tag_measure(rule.type, rule.get('column')) }}{{ filter }}
    {%- elif rule.type in ['days_since_last', 'days_since_first'] -%}
        {{ days_between(('max(' if rule.type == 'days_since_last' else 'min(') ~ source.date ~ ')' ~ filter, _as_of_literal(source.as_of)) }}
    {%- elif rule.type in ['first_value', 'last_value'] -%}
        {{ tag_ordered_value(rule.column, source.order, rule.type == 'last_value') }}{{ _tag_filter(tag, source, {rule.column: {'is_null': false}}) }}
    {%- elif rule.type == 'imported' -%}
        {{ tag_ordered_value('tag_value', source.order, true) }}{{ _tag_filter(tag, source, {'tag_provider': rule.provider, 'tag_code': rule.code, 'tag_value': {'is_null': false}}) }}
    {%- elif rule.type == 'ratio' -%}
        cast({{ _tag_measure(rule.numerator.type, rule.numerator.get('column')) }}{{ _tag_filter(tag, source, rule.numerator.get('where')) }} as double)
        / nullif({{ _tag_measure(rule.denominator.type, rule.denominator.get('column')) }}{{ _tag_filter(tag, source, rule.denominator.get('where')) }}, 0)
    {%- elif rule.type == 'sql' -%}
        ({{ _tag_expression(tag, source.as_of) }})
    {%- endif -%}
{%- endmacro %}


{#- count(*), count(distinct <column>) or <type>(<column>). -#}
{% macro _tag_measure(type, column) -%}
    {%- if type == 'count' -%}
        count(*)
    {%- elif type == 'count_distinct' -%}
        count(distinct {{ column }})
    {%- else -%}
        {{ type }}({{ column }})
    {%- endif -%}
{%- endmacro %}


{#- ` filter (where <window> and <rule.where> and <extra>)`, or nothing when there is no condition;
    the window is left out when the tag's scan reads only that window. -#}
{% macro _tag_filter(tag, source, extra_where=none) -%}
    {%- set conditions = [] -%}
    {%- if tag.window is not none and tag.scan_window is none -%}
        {%- do conditions.append(_tag_window_condition(tag.window, source)) -%}
    {%- endif -%}
    {%- for where in [tag.rule.get('where'), extra_where] if where -%}
        {%- for column, condition in where.items() -%}
            {%- do conditions.append(_tag_condition(column, condition)) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{- ' filter (where ' ~ conditions | join(' and ') ~ ')' if conditions else '' -}}
{%- endmacro %}


{#- The rows of a source a scan reads: up to its as_of day, within the scan's window if it has one. -#}
{% macro _tag_scan_condition(tag, source) -%}
    {{- source.date }} <= {{ _as_of_literal(source.as_of) }}
    {%- if tag.scan_window is not none %} and {{ _tag_window_condition(tag.scan_window, source) }}{% endif %}
{%- endmacro %}


{#- `<date> > as_of - from_days [and <date> <= as_of - to_days]`. -#}
{% macro _tag_window_condition(window, source) -%}
    {{- source.date }} > {{ _as_of_literal(source.as_of, window.from_days) }}
    {%- if window.to_days > 0 %} and {{ source.date }} <= {{ _as_of_literal(source.as_of, window.to_days) }}{% endif %}
{%- endmacro %}


{#- One condition of a `where`: value, list of values, or {not | gt | gte | lt | lte | is_null: ...}. -#}
{% macro _tag_condition(column, condition) -%}
    {%- set operators = {'gt': '>', 'gte': '>=', 'lt': '<', 'lte': '<='} -%}
    {%- if condition is none -%}
        {{- column }} is null
    {%- elif condition is mapping -%}
        {%- set parts = [] -%}
        {%- for operator, value in condition.items() -%}
            {%- if operator == 'is_null' -%}
                {%- do parts.append(column ~ (' is null' if value else ' is not null')) -%}
            {%- elif operator == 'not' -%}
                {%- do parts.append('not (' ~ _tag_condition(column, value) ~ ')') -%}
            {%- else -%}
                {%- do parts.append(column ~ ' ' ~ operators[operator] ~ ' ' ~ sql_literal(value)) -%}
            {%- endif -%}
        {%- endfor -%}
        {{- parts | join(' and ') -}}
    {%- elif condition is string or condition is not iterable -%}
        {{- column }} = {{ sql_literal(condition) -}}
    {%- else -%}
        {{- column }} in ({% for value in condition %}{{ sql_literal(value) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endif -%}
{%- endmacro %}


{#- The day `days_before` days before `as_of` (an ISO date), as a SQL date literal. -#}
{% macro _as_of_literal(as_of, days_before=0) -%}
    {%- set day = modules.datetime.date.fromisoformat(as_of | string) - modules.datetime.timedelta(days=days_before) -%}
    cast('{{ day.isoformat() }}' as date)
{%- endmacro %}


{#- A sql rule's expression, with `{as_of}` replaced by the as_of day (a SQL date), in the engine's dialect. -#}
{% macro _tag_expression(tag, as_of) -%}
    {{- engine_sql_text(tag.rule.expression | string | replace('{as_of}', _as_of_literal(as_of))) -}}
{%- endmacro %}
