{#-
    Checks a tag's rule, source and window against tag_rule_types() and the documented columns of
    the entity's models, and completes the tag with: kind, method, window ({label, from_days,
    to_days} or none), scan (the tags of one scan are computed in one GROUP BY: `<source>__all`
    for the tags of a source, with their windows as filters; rules that group rows by value,
    count_distinct and top, scan only their window, `<source>__<window>`, as grouping every row
    costs them far more than a second pass over the dates), scan_window,
    source_model, sql_type and reads (codes of the tags a derived rule reads).
-#}
{% macro _validate_tag_rule(tag) -%}
    {%- set rule_types = tag_rule_types() -%}
    {%- set entity = tag_entities()[tag.entity] -%}
    {%- set rule = tag.rule -%}
    {%- if rule is not mapping or rule.get('type') not in rule_types -%}
        {%- do definition_error('Tag', tag, 'rule.type', "is '" ~ (rule.get('type') if rule is mapping else rule) ~ "'; one of: " ~ rule_types.keys() | join(', ')) -%}
    {%- endif -%}
    {%- set spec = rule_types[rule.type] -%}
    {%- for field in spec.required if rule.get(field) is none -%}
        {%- do definition_error('Tag', tag, 'rule.' ~ field, 'is missing (a ' ~ rule.type ~ ' rule needs ' ~ spec.required | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- for field in rule if field != 'type' and field not in spec.required + spec.optional -%}
        {%- do definition_error('Tag', tag, 'rule.' ~ field, 'is not a field of a ' ~ rule.type ~ ' rule; its fields: ' ~ (spec.required + spec.optional) | join(', ')) -%}
    {%- endfor -%}
    {%- if spec.value_types and tag.value_type not in spec.value_types -%}
        {%- do definition_error('Tag', tag, 'value_type', "is '" ~ tag.value_type ~ "'; a " ~ rule.type ~ ' rule gives ' ~ spec.value_types | join(' or ')) -%}
    {%- endif -%}

    {%- set kind = spec.kind -%}
    {%- set source = tag.get('source') -%}
    {%- if rule.type == 'imported' and source is none -%}
        {%- set source = 'third_party_tags' -%}
    {%- endif -%}
    {%- if kind == 'sql' -%}
        {%- set kind = 'aggregate' if source else 'derived' -%}
    {%- endif -%}
    {%- if kind in ['aggregate', 'top'] and source not in entity.sources -%}
        {%- do definition_error('Tag', tag, 'source', "is '" ~ source ~ "'; a " ~ rule.type ~ ' rule of a ' ~ tag.entity ~ ' tag reads one of: ' ~ entity.sources.keys() | join(', ')) -%}
    {%- elif kind == 'row' and source is not none and source not in entity.get('attributes', {}) -%}
        {%- do definition_error('Tag', tag, 'source', "is '" ~ source ~ "'; a passthrough rule of a " ~ tag.entity ~ ' tag reads its base model ' ~ entity.base ~ ' (no source) or one of: ' ~ entity.get('attributes', {}).keys() | join(', ')) -%}
    {%- elif kind == 'derived' and tag.get('source') is not none -%}
        {%- do definition_error('Tag', tag, 'source', 'is not used by a ' ~ rule.type ~ ' rule' ~ (' without a source' if rule.type == 'sql' else '')) -%}
    {%- endif -%}
    {%- if rule.type == 'sql' and kind == 'derived' and rule.get('default') is not none -%}
        {%- do definition_error('Tag', tag, 'rule.default', 'is only for sql rules with a source') -%}
    {%- endif -%}
    {%- set window = _parse_tag_window(tag) -%}
    {%- if window is not none and kind not in ['aggregate', 'top'] -%}
        {%- do definition_error('Tag', tag, 'window', 'is only for rules that read a source') -%}
    {%- endif -%}

    {%- if kind in ['aggregate', 'top'] -%}
        {%- set source_model = entity.sources[source].model -%}
    {%- elif kind == 'row' and source is not none -%}
        {%- set source_model = entity.attributes[source] -%}
    {%- else -%}
        {%- set source_model = entity.base -%}
    {%- endif -%}
    {%- set columns = _documented_columns(source_model) -%}
    {%- set checked_columns = [] -%}
    {%- if rule.type not in ['bucket', 'map', 'threshold', 'sql', 'imported'] and rule.get('column') is not none -%}
        {%- do checked_columns.append(('rule.column', rule.column)) -%}
    {%- endif -%}
    {%- if rule.type == 'top' and rule.get('by', 'count') != 'count' -%}
        {%- do checked_columns.append(('rule.by', rule.by)) -%}
    {%- endif -%}
    {%- for part in ['numerator', 'denominator'] if rule.type == 'ratio' -%}
        {%- set term = rule[part] -%}
        {%- if term is not mapping or term.get('type') not in ['count', 'count_distinct', 'sum', 'avg', 'min', 'max'] -%}
            {%- do definition_error('Tag', tag, 'rule.' ~ part, 'must be {type: count | count_distinct | sum | avg | min | max, column: ..., where: ...}') -%}
        {%- endif -%}
        {%- for field in term if field not in ['type', 'column', 'where'] -%}
            {%- do definition_error('Tag', tag, 'rule.' ~ part ~ '.' ~ field, 'is not a field of a ratio term (type, column, where)') -%}
        {%- endfor -%}
        {%- if term.type != 'count' and term.get('column') is none -%}
            {%- do definition_error('Tag', tag, 'rule.' ~ part ~ '.column', 'is missing (a ' ~ term.type ~ ' term needs a column)') -%}
        {%- elif term.get('column') is not none -%}
            {%- do checked_columns.append(('rule.' ~ part ~ '.column', term.column)) -%}
        {%- endif -%}
        {%- do _validate_tag_where(tag, 'rule.' ~ part ~ '.where', term.get('where'), columns) -%}
    {%- endfor -%}
    {%- for field, column in checked_columns if column not in columns -%}
        {%- do definition_error('Tag', tag, field, "names '" ~ column ~ "', which is not a column of " ~ source_model ~ '; its columns: ' ~ columns | join(', ')) -%}
    {%- endfor -%}
    {%- do _validate_tag_where(tag, 'rule.where', rule.get('where'), columns) -%}

    {%- if rule.type == 'top' and (rule.get('n', 1) is not number or rule.get('n', 1) < 1) -%}
        {%- do definition_error('Tag', tag, 'rule.n', 'must be a whole number from 1') -%}
    {%- endif -%}
    {%- if rule.type == 'bucket' -%}
        {%- do _validate_tag_bands(tag) -%}
    {%- elif rule.type == 'map' and (rule['values'] is not mapping or rule['values'].values() | reject('string') | list) -%}
        {%- do definition_error('Tag', tag, 'rule.values', 'must map each value of the tag it reads to a text value of this tag (quote numbers)') -%}
    {%- elif rule.type == 'threshold' and rule.get('min') is none and rule.get('max') is none -%}
        {%- do definition_error('Tag', tag, 'rule.min', 'or rule.max is needed: a threshold is true when the value is within them') -%}
    {%- endif -%}
    {%- if tag.value_type == 'enum' -%}
        {%- set produced = [] -%}
        {%- if rule.type == 'bucket' -%}
            {%- set produced = rule.bands | map(attribute='value') | list + ([rule.null_value] if rule.get('null_value') is not none else []) -%}
        {%- elif rule.type == 'map' -%}
            {%- set produced = rule['values'].values() | list + ([rule.default] if rule.get('default') is not none else []) -%}
        {%- endif -%}
        {%- for value in produced if value | string not in tag['values'] | map('string') | list -%}
            {%- do definition_error('Tag', tag, 'values', "does not list '" ~ value ~ "', which the rule gives") -%}
        {%- endfor -%}
    {%- endif -%}

    {%- set methods = {'aggregate': 'statistic', 'top': 'statistic', 'row': 'attribute', 'derived': 'rule'} -%}
    {%- set sql_types = {'boolean': 'boolean', 'enum': 'string', 'string': 'string', 'date': 'date',
                         'number': 'bigint' if spec.get('integral') else 'double'} -%}
    {%- do tag.update({
        'kind': kind,
        'method': 'model' if tag.category == 'model' or (kind == 'row' and source is not none) else ('imported' if rule.type == 'imported' else ('sql' if rule.type == 'sql' else methods[kind])),
        'source': source if kind in ['aggregate', 'top', 'row'] else none,
        'source_model': source_model,
        'window': window,
        'scan_window': window if rule.type in ['count_distinct', 'top'] else none,
        'scan': (source ~ '__' ~ (window.label | replace('-', '_') if window and rule.type in ['count_distinct', 'top'] else 'all')) if kind in ['aggregate', 'top'] else none,
        'sql_type': sql_types[tag.value_type],
        'reads': [rule.of] if rule.get('of') is not none else [],
    }) -%}
{%- endmacro %}


{#- The window of a tag (see parse_window), or a compile error naming the tag. -#}
{% macro _parse_tag_window(tag) -%}
    {%- set window = parse_window(tag.get('window')) -%}
    {%- if window is sameas false -%}
        {%- do definition_error('Tag', tag, 'window', "is '" ~ tag.window ~ "'; write all, <N>d (the N days ending on as_of) or <N>d-<M>d with N > M") -%}
    {%- endif -%}
    {{ return(window) }}
{%- endmacro %}


{#- A `where` is a mapping of column -> value, list of values, or {not | gt | gte | lt | lte | is_null: ...}. -#}
{% macro _validate_tag_where(tag, field, where, columns) -%}
    {%- if where is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if where is not mapping -%}
        {%- do definition_error('Tag', tag, field, 'must map columns to conditions') -%}
    {%- endif -%}
    {%- for column, condition in where.items() -%}
        {%- if column not in columns -%}
            {%- do definition_error('Tag', tag, field ~ '.' ~ column, 'is not a column of the source; its columns: ' ~ columns | join(', ')) -%}
        {%- endif -%}
        {%- for operator in (condition.keys() if condition is mapping else []) if operator not in ['not', 'gt', 'gte', 'lt', 'lte', 'is_null'] -%}
            {%- do definition_error('Tag', tag, field ~ '.' ~ column ~ '.' ~ operator, 'is not a condition; use not, gt, gte, lt, lte or is_null') -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endmacro %}


{#- Bands: a list of {max: <number>, value: <label>} in increasing max; the last may omit max (everything above). -#}
{% macro _validate_tag_bands(tag) -%}
    {%- set bands = tag.rule.bands -%}
    {%- if bands is string or bands is mapping or bands is not iterable or bands | length == 0 -%}
        {%- do definition_error('Tag', tag, 'rule.bands', 'must be a list of {max: <number>, value: <label>}') -%}
    {%- endif -%}
    {%- set previous = [] -%}
    {%- for band in bands -%}
        {%- if band is not mapping or band.get('value') is not string or (band.get('max') is none and not loop.last) or (band.get('max') is not none and band.max is not number) -%}
            {%- do definition_error('Tag', tag, 'rule.bands', 'entry ' ~ loop.index ~ ' must be {max: <number>, value: <label>} with a text label (quote labels such as \'500_2000\') and only the last may omit max') -%}
        {%- endif -%}
        {%- if band.get('max') is not none and previous and band.max <= previous[-1] -%}
            {%- do definition_error('Tag', tag, 'rule.bands', 'must be in increasing max (entry ' ~ loop.index ~ ')') -%}
        {%- endif -%}
        {%- if band.get('max') is not none -%}
            {%- do previous.append(band.max) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}


{#- Documented columns of a model (its YAML `columns:`), which rules may read. -#}
{% macro _documented_columns(model_name) -%}
    {%- set node = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {{ return(node.columns.keys() | list if node else []) }}
{%- endmacro %}
