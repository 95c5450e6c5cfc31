{#-
    Every segment definition in the project, validated, as a list of dicts sorted by priority then
    code. Definitions live in the `meta.segment_definitions` list of the models under
    models/segments/definitions/. Each gets `condition`: its rule compiled to a SQL boolean
    expression over a customer_profile row aliased `profile`. A wrong definition stops the
    compilation naming the segment and the condition.
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
                {%- do _segment_error(segment, 'code', 'is defined twice: also in ' ~ by_code[segment.code].defined_in) -%}
            {%- endif -%}
            {%- do by_code.update({segment.code: segment}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set tags = {} -%}
    {%- for tag in tag_definitions('customer', ['active', 'deprecated']) -%}
        {%- do tags.update({tag.code: tag}) -%}
    {%- endfor -%}
    {%- for segment in by_code.values() -%}
        {%- do segment.update({'condition': _segment_condition(segment, segment.rule, 'rule', by_code, tags, [segment.code])}) -%}
    {%- endfor -%}
    {{ return(by_code.values() | sort(attribute='code') | sort(attribute='priority')) }}
{%- endmacro %}


{% macro _segment_error(segment, field, problem) -%}
    {%- do exceptions.raise_compiler_error(
        "Segment definition '" ~ segment.get('code', '?') ~ "' (" ~ segment.get('defined_in', '?') ~ "): "
        ~ field ~ ' ' ~ problem
    ) -%}
{%- endmacro %}


{% macro _validated_segment(definition, defined_in) -%}
    {%- set required = ['code', 'name_zh', 'name_en', 'description', 'owner', 'rule'] -%}
    {%- set optional = ['status', 'type', 'exclusive_group', 'priority'] -%}
    {%- set segment = {'defined_in': defined_in} -%}
    {%- do segment.update(definition if definition is mapping else {}) -%}
    {%- if definition is not mapping -%}
        {%- do exceptions.raise_compiler_error('Segment definition in ' ~ defined_in ~ ' is not a mapping: ' ~ definition) -%}
    {%- endif -%}
    {%- for field in required if definition.get(field) is none -%}
        {%- do _segment_error(segment, "field '" ~ field ~ "'", 'is missing') -%}
    {%- endfor -%}
    {%- for field in definition if field not in required + optional -%}
        {%- do _segment_error(segment, "field '" ~ field ~ "'", 'is not a segment field; known fields: ' ~ (required + optional) | join(', ')) -%}
    {%- endfor -%}
    {%- if not modules.re.match('^[a-z][a-z0-9_]{1,62}$', definition.code | string) -%}
        {%- do _segment_error(segment, "field 'code'", "'" ~ definition.code ~ "' is not a segment code: lower-case letters, digits and underscores") -%}
    {%- endif -%}
    {%- do segment.update({
        'status': definition.get('status', 'active'),
        'type': definition.get('type', 'dynamic'),
        'exclusive_group': definition.get('exclusive_group'),
        'priority': definition.get('priority', 100),
        'reads_tags': [],
    }) -%}
    {%- for field, allowed in {'status': ['draft', 'active', 'paused', 'retired'], 'type': ['dynamic', 'suppression']}.items() if segment[field] not in allowed -%}
        {%- do _segment_error(segment, "field '" ~ field ~ "'", "is '" ~ segment[field] ~ "'; one of: " ~ allowed | join(', ')) -%}
    {%- endfor -%}
    {%- if segment.priority is not number -%}
        {%- do _segment_error(segment, "field 'priority'", 'must be a number (1 = highest)') -%}
    {%- endif -%}
    {{ return(segment) }}
{%- endmacro %}
