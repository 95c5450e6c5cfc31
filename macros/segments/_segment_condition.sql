{#-
    A segment rule (or one condition of it) as a SQL boolean over a customer_profile row aliased
    `profile` that is never null. Conditions: {all: [...]}, {any: [...]}, {not: ...};
    {tag: <code>, op: '=' | '!=' | '>' | '>=' | '<' | '<=', value: ...}, {tag, in: [...]},
    {tag, between: [low, high]}, {tag, is_null: true | false};
    {event: <event_name>, window: 7d, min_count: 1, max_count: ..., where: {channel: ...}} over
    customer_events; {purchased: {<column>: <value>...}, window, min_count, max_count} over paid
    lines of customer_order_items; {segment: <code>} (another segment's rule); {sql: <expression>}.
    `path` names the condition in errors (rule.all[1].event).
-#}
{% macro _segment_condition(segment, condition, path, by_code, tags, stack) -%}
    {%- set compiled = _segment_condition_sql(segment, condition, path, by_code, tags, stack) -%}
    {%- if stack | length == 1 -%}
        {%- do segment.conditions.append({'path': path, 'condition': condition, 'sql': compiled}) -%}
    {%- endif -%}
    {{- return(compiled) -}}
{%- endmacro %}


{#- The SQL of one condition; `_segment_condition` also records the conditions of the segment's own rule in its `conditions` (for explain). -#}
{% macro _segment_condition_sql(segment, condition, path, by_code, tags, stack) -%}
    {%- set kinds = ['all', 'any', 'not', 'tag', 'event', 'purchased', 'segment', 'sql'] -%}
    {%- set found = (condition.keys() | select('in', kinds) | list) if condition is mapping else [] -%}
    {%- if found | length != 1 -%}
        {%- do definition_error('Segment', segment, path, 'must be a mapping with one of: ' ~ kinds | join(', ') ~ '; got ' ~ condition) -%}
    {%- endif -%}
    {%- set kind = found[0] -%}
    {%- if kind in ['all', 'any'] -%}
        {%- set parts = condition[kind] -%}
        {%- if parts is string or parts is mapping or parts is not iterable or not parts -%}
            {%- do definition_error('Segment', segment, path ~ '.' ~ kind, 'must be a non-empty list of conditions') -%}
        {%- endif -%}
        {%- set compiled = [] -%}
        {%- for part in parts -%}
            {%- do compiled.append(_segment_condition(segment, part, path ~ '.' ~ kind ~ '[' ~ loop.index0 ~ ']', by_code, tags, stack)) -%}
        {%- endfor -%}
        {{- return('(' ~ compiled | join(' and ' if kind == 'all' else ' or ') ~ ')') -}}
    {%- elif kind == 'not' -%}
        {{- return('not ' ~ _segment_condition(segment, condition['not'], path ~ '.not', by_code, tags, stack)) -}}
    {%- elif kind == 'tag' -%}
        {{- return(_segment_tag_condition(segment, condition, path, tags)) -}}
    {%- elif kind in ['event', 'purchased'] -%}
        {{- return(_segment_count_condition(segment, condition, path, kind)) -}}
    {%- elif kind == 'segment' -%}
        {%- set other = by_code.get(condition.segment) -%}
        {%- if other is none or other.status == 'retired' -%}
            {%- do definition_error('Segment', segment, path ~ '.segment', "names '" ~ condition.segment ~ "', which is not a segment") -%}
        {%- elif other.rule is none or other.type == 'static' -%}
            {%- do definition_error('Segment', segment, path ~ '.segment', "names '" ~ other.code ~ "', a " ~ other.type ~ ' segment; rules can include dynamic and suppression segments') -%}
        {%- elif other.code in stack -%}
            {%- do definition_error('Segment', segment, path ~ '.segment', 'makes a cycle: ' ~ (stack + [other.code]) | join(' -> ')) -%}
        {%- endif -%}
        {{- return(_segment_condition(other, other.rule, 'rule', by_code, tags, stack + [other.code])) -}}
    {%- else -%}
        {{- return('coalesce((' ~ condition.sql ~ '), false)') -}}
    {%- endif -%}
{%- endmacro %}


{% macro _segment_tag_condition(segment, condition, path, tags) -%}
    {%- set tag = tags.get(condition.tag) -%}
    {%- if tag is none -%}
        {%- do definition_error('Segment', segment, path ~ '.tag', "names '" ~ condition.tag ~ "', which is not an active or deprecated customer tag") -%}
    {%- endif -%}
    {%- do segment.reads_tags.append(tag.code) if tag.code not in segment.reads_tags -%}
    {%- set column = 'profile.' ~ tag.code -%}
    {%- set operators = ['=', '!=', '>', '>=', '<', '<='] -%}
    {%- set tests = condition.keys() | select('in', ['op', 'in', 'between', 'is_null']) | list -%}
    {%- if tests | length != 1 -%}
        {%- do definition_error('Segment', segment, path, 'needs one of op (with value), in, between, is_null') -%}
    {%- endif -%}
    {%- set values = [condition.value] if tests[0] == 'op' else (condition['in'] if tests[0] == 'in' else []) -%}
    {%- for value in values if tag.value_type == 'enum' and value | string not in tag['values'] -%}
        {%- do definition_error('Segment', segment, path ~ '.value', "'" ~ value ~ "' is not a value of tag " ~ tag.code ~ ' (' ~ tag['values'] | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- if tests[0] == 'op' and condition.op not in operators -%}
        {%- do definition_error('Segment', segment, path ~ '.op', "is '" ~ condition.op ~ "'; one of: " ~ operators | join(' ')) -%}
    {%- elif tests[0] == 'op' -%}
        {{- return('coalesce(' ~ column ~ ' ' ~ condition.op ~ ' ' ~ sql_literal(condition.value) ~ ', false)') -}}
    {%- elif tests[0] == 'in' -%}
        {{- return('coalesce(' ~ _tag_condition(column, condition['in']) ~ ', false)') -}}
    {%- elif tests[0] == 'between' -%}
        {%- if condition.between is string or condition.between | length != 2 -%}
            {%- do definition_error('Segment', segment, path ~ '.between', 'must be [low, high]') -%}
        {%- endif -%}
        {{- return('coalesce(' ~ column ~ ' between ' ~ sql_literal(condition.between[0]) ~ ' and ' ~ sql_literal(condition.between[1]) ~ ', false)') -}}
    {%- else -%}
        {{- return(column ~ (' is null' if condition.is_null else ' is not null')) -}}
    {%- endif -%}
{%- endmacro %}


{#- Rows of customer_events (event) or paid lines of customer_order_items (purchased) in a window, counted against min_count / max_count. -#}
{% macro _segment_count_condition(segment, condition, path, kind) -%}
    {%- set allowed = [kind, 'window', 'min_count', 'max_count', 'where'] -%}
    {%- for field in condition if field not in allowed -%}
        {%- do definition_error('Segment', segment, path ~ '.' ~ field, 'is not a field of an ' ~ kind ~ ' condition: ' ~ allowed | join(', ')) -%}
    {%- endfor -%}
    {%- set model_name = 'customer_events' if kind == 'event' else 'customer_order_items' -%}
    {%- set relation = 'segment_events' if kind == 'event' else 'segment_purchases' -%}
    {%- set date_column = 'event_date' if kind == 'event' else 'order_date' -%}
    {%- set where = {'event_name': condition.event} if kind == 'event' else dict(condition.purchased, status='paid') -%}
    {%- if kind == 'purchased' and condition.purchased is not mapping -%}
        {%- do definition_error('Segment', segment, path ~ '.purchased', 'must map columns of customer_order_items to values') -%}
    {%- endif -%}
    {%- do where.update(condition.get('where') or {}) -%}
    {%- set columns = _documented_columns(model_name) -%}
    {%- for column in where if column not in columns -%}
        {%- do definition_error('Segment', segment, path, "names column '" ~ column ~ "', which is not a column of " ~ model_name) -%}
    {%- endfor -%}
    {%- set window = parse_window(condition.get('window')) -%}
    {%- if window is sameas false -%}
        {%- do definition_error('Segment', segment, path ~ '.window', "is '" ~ condition.window ~ "'; write all, <N>d or <N>d-<M>d with N > M") -%}
    {%- endif -%}
    {%- set conditions = [relation ~ '.one_id = profile.one_id', relation ~ '.' ~ date_column ~ ' <= ' ~ as_of_date()] -%}
    {%- if window is not none -%}
        {%- do conditions.append(_tag_window_condition(window, {'date': relation ~ '.' ~ date_column, 'as_of': var('as_of')})) -%}
    {%- endif -%}
    {%- for column, value in where.items() -%}
        {%- do conditions.append(_tag_condition(relation ~ '.' ~ column, value)) -%}
    {%- endfor -%}
    {%- set counted = '(select count(*) from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ')' -%}
    {%- set bounds = [] -%}
    {%- if condition.get('max_count') is none or condition.get('min_count') is not none -%}
        {%- do bounds.append(counted ~ ' >= ' ~ condition.get('min_count', 1)) -%}
    {%- endif -%}
    {%- if condition.get('max_count') is not none -%}
        {%- do bounds.append(counted ~ ' <= ' ~ condition.max_count) -%}
    {%- endif -%}
    {{- return('(' ~ bounds | join(' and ') ~ ')') -}}
{%- endmacro %}
