{#-
    Every segment definition in the project, validated, as a list of dicts sorted by priority then
    code. Definitions live in the `meta.segment_definitions` list of the models under
    models/segments/definitions/. Each gets `condition`: its rule compiled to a SQL boolean
    expression over a customer_profile row aliased `profile` (null without a rule), and
    `conditions`, the SQL of each condition of its rule. A wrong definition stops the compilation
    naming the segment and the field or condition.
-#}
{% macro segment_definitions() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set by_code = {} -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') if node.resource_type == 'model' -%}
        {%- for definition in (node.config.meta or {}).get('segment_definitions', []) -%}
            {%- set segment = _validated_segment(definition, (node.patch_path or node.original_file_path).split('://')[-1]) -%}
            {%- if segment.code in by_code -%}
                {%- do definition_error('Segment', segment, 'code', 'is defined twice: also in ' ~ by_code[segment.code].defined_in) -%}
            {%- endif -%}
            {%- do by_code.update({segment.code: segment}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set tags = {} -%}
    {%- for tag in tag_definitions('customer', ['active', 'deprecated']) -%}
        {%- do tags.update({tag.code: tag}) -%}
    {%- endfor -%}
    {%- for segment in by_code.values() -%}
        {%- if segment.rule is not none -%}
            {%- do segment.update({'condition': _segment_condition(segment, segment.rule, 'rule', by_code, tags, [segment.code])}) -%}
        {%- endif -%}
        {%- for field in ['compare_to'] + (['lookalike'] if segment.lookalike else []) -%}
            {%- set other = segment.compare_to if field == 'compare_to' else segment.lookalike.seed -%}
            {%- if other is not none and (other not in by_code or by_code[other].status == 'retired' or other == segment.code) -%}
                {%- do definition_error('Segment', segment, field, "names '" ~ other ~ "', which is not another segment") -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(by_code.values() | sort(attribute='code') | sort(attribute='priority')) }}
{%- endmacro %}


{% macro _validated_segment(definition, defined_in) -%}
    {%- set required = ['code', 'name_zh', 'name_en', 'description', 'owner'] -%}
    {%- set optional = ['status', 'type', 'exclusive_group', 'priority', 'experiment', 'rule', 'frozen_on', 'list', 'lookalike', 'compare_to'] -%}
    {%- set choices = {'status': ['draft', 'active', 'paused', 'retired'], 'type': ['dynamic', 'suppression', 'static', 'lookalike']} -%}
    {%- set segment = {'defined_in': defined_in} -%}
    {%- do segment.update(definition if definition is mapping else {}) -%}
    {%- do validate_spec('Segment', segment, definition, required, optional, choices) -%}
    {%- if not modules.re.match('^[a-z][a-z0-9_]{1,62}$', definition.code | string) -%}
        {%- do definition_error('Segment', segment, 'code', "'" ~ definition.code ~ "' is not a segment code: lower-case letters, digits and underscores") -%}
    {%- endif -%}
    {%- do segment.update({
        'status': definition.get('status', 'active'),
        'type': definition.get('type', 'dynamic'),
        'exclusive_group': definition.get('exclusive_group'),
        'priority': definition.get('priority', 100),
        'reads_tags': [],
        'conditions': [],
    }) -%}
    {%- if segment.priority is not number -%}
        {%- do definition_error('Segment', segment, 'priority', 'must be a number (1 = highest)') -%}
    {%- endif -%}
    {%- do _check_segment_source(segment) -%}
    {%- do segment.update({'experiment': _validated_experiment(segment, definition.get('experiment'))}) -%}
    {{ return(segment) }}
{%- endmacro %}


{#-
    An experiment splits a segment's members into variants by a hash of one_id and a salt:
    {variants: {A: 45, B: 45}, holdout: 10, salt: ...}. Percentages add up to 100; the salt
    defaults to the segment code, so assignment is stable across builds until the salt changes.
-#}
{% macro _validated_experiment(segment, experiment) -%}
    {%- if experiment is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set field = 'experiment' -%}
    {%- if experiment is not mapping or experiment.get('variants') is not mapping or not experiment.variants -%}
        {%- do definition_error('Segment', segment, field, 'must be {variants: {A: 45, B: 45}, holdout: 10, salt: ...}') -%}
    {%- endif -%}
    {%- for key in experiment if key not in ['variants', 'holdout', 'salt'] -%}
        {%- do definition_error('Segment', segment, field ~ '.' ~ key, 'is not an experiment field: variants, holdout, salt') -%}
    {%- endfor -%}
    {%- set shares = dict(experiment.variants) -%}
    {%- if experiment.get('holdout') -%}
        {%- do shares.update({'holdout': experiment.holdout}) -%}
    {%- endif -%}
    {%- for name, percent in shares.items() -%}
        {%- if not modules.re.match('^[A-Za-z0-9_]{1,32}$', name | string) or name in ['global_holdout'] or (name == 'holdout' and name in experiment.variants) -%}
            {%- do definition_error('Segment', segment, field ~ '.variants', "'" ~ name ~ "' is not a variant name: letters, digits, underscores; not holdout or global_holdout") -%}
        {%- endif -%}
        {%- if percent is not number or percent <= 0 -%}
            {%- do definition_error('Segment', segment, field ~ '.' ~ name, 'must be a percentage above 0; got ' ~ percent) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set total = shares.values() | sum -%}
    {%- if (total - 100) | abs > 0.0001 -%}
        {%- do definition_error('Segment', segment, field, 'percentages add up to ' ~ total ~ ', not 100: ' ~ shares) -%}
    {%- endif -%}
    {{ return({'shares': shares, 'salt': experiment.get('salt', segment.code) | string}) }}
{%- endmacro %}


{#-
    Where a segment's members come from, by type: dynamic and suppression segments have a rule;
    a static segment has either a rule, frozen at the first build on or after `frozen_on`, or a
    `list` (a file of identifiers in the raw segment_lists/ folder); a lookalike segment has
    `lookalike: {seed: <segment>, size: <top N>}` or `{seed, min_score: <0..1>}`.
-#}
{% macro _check_segment_source(segment) -%}
    {%- set has = {'rule': segment.get('rule') is not none, 'list': segment.get('list') is not none, 'lookalike': segment.get('lookalike') is not none} -%}
    {%- set allowed = {'dynamic': ['rule'], 'suppression': ['rule'], 'static': ['rule', 'list'], 'lookalike': ['lookalike']}[segment.type] -%}
    {%- set present = [] -%}
    {%- for source in ['rule', 'list', 'lookalike'] if has[source] -%}
        {%- do present.append(source) -%}
    {%- endfor -%}
    {%- if present | length != 1 or present[0] not in allowed -%}
        {%- do definition_error('Segment', segment, allowed | join(' or '), 'is needed (only one of rule, list, lookalike) for a ' ~ segment.type ~ ' segment; found: ' ~ (present | join(', ') or 'none')) -%}
    {%- endif -%}
    {%- if segment.get('frozen_on') is not none and not (segment.type == 'static' and has.rule and modules.re.match('^\\d{4}-\\d{2}-\\d{2}$', segment.frozen_on | string)) -%}
        {%- do definition_error('Segment', segment, 'frozen_on', 'is a date (YYYY-MM-DD) for a static segment with a rule; got ' ~ segment.frozen_on) -%}
    {%- endif -%}
    {%- if has.list and not modules.re.match('^[a-z][a-z0-9_]{0,62}$', segment.list | string) -%}
        {%- do definition_error('Segment', segment, 'list', "'" ~ segment.list ~ "' is not a list name: the file segment_lists/<name>.csv, lower-case letters, digits and underscores") -%}
    {%- endif -%}
    {%- set lookalike = segment.get('lookalike') -%}
    {%- if has.lookalike -%}
        {%- set picks = (lookalike.keys() | select('in', ['size', 'min_score']) | list) if lookalike is mapping else [] -%}
        {%- if lookalike is not mapping or lookalike.get('seed') is none or picks | length != 1 or (lookalike.keys() | reject('in', ['seed', 'size', 'min_score']) | list) -%}
            {%- do definition_error('Segment', segment, 'lookalike', 'must be {seed: <segment>, size: <N>} or {seed: <segment>, min_score: <0..1>}; got ' ~ lookalike) -%}
        {%- elif 'size' in picks and not (lookalike.size is number and lookalike.size >= 1) -%}
            {%- do definition_error('Segment', segment, 'lookalike.size', 'must be a whole number of people, at least 1; got ' ~ lookalike.size) -%}
        {%- elif 'min_score' in picks and not (lookalike.min_score is number and 0 < lookalike.min_score < 1) -%}
            {%- do definition_error('Segment', segment, 'lookalike.min_score', 'must be a number between 0 and 1; got ' ~ lookalike.min_score) -%}
        {%- endif -%}
    {%- endif -%}
    {%- do segment.update({'rule': segment.get('rule'), 'list': segment.get('list'), 'lookalike': lookalike, 'frozen_on': segment.get('frozen_on'), 'compare_to': segment.get('compare_to'), 'condition': none}) -%}
{%- endmacro %}
