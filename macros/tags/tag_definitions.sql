{#-
    Every tag definition in the project, validated, as a list of dicts sorted by code; optionally
    only those of one entity and of some statuses. Definitions live in the `meta.tag_definitions`
    list of the models under models/tags/definitions/ (dbt reads YAML only as resource
    properties). Available when dbt executes (`execute`); an empty list while it parses.
    A definition that is wrong stops the compilation with a message naming the tag and the field.
-#}
{% macro tag_definitions(entity=none, statuses=none) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set tags = [] -%}
    {%- set by_code = {} -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') if node.resource_type == 'model' -%}
        {%- for definition in (node.config.meta or {}).get('tag_definitions', []) -%}
            {%- set tag = _validated_tag(definition, (node.patch_path or node.original_file_path).split('://')[-1]) -%}
            {%- if tag.code in by_code -%}
                {%- do definition_error('Tag', tag, 'code', 'is defined twice: also in ' ~ by_code[tag.code].defined_in) -%}
            {%- endif -%}
            {%- do by_code.update({tag.code: tag}) -%}
            {%- do tags.append(tag) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for tag in tags -%}
        {%- do _check_tag_references(tag, by_code) -%}
    {%- endfor -%}
    {%- set selected = [] -%}
    {%- for tag in tags | sort(attribute='code') -%}
        {%- if (entity is none or tag.entity == entity) and (statuses is none or tag.status in statuses) -%}
            {%- do selected.append(tag) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(selected) }}
{%- endmacro %}


{#- A definition checked field by field and completed with defaults and derived attributes. -#}
{% macro _validated_tag(definition, defined_in) -%}
    {%- set fields = {
        'required': ['code', 'name_zh', 'name_en', 'description', 'category', 'entity', 'value_type', 'rule', 'owner'],
        'optional': ['source', 'window', 'status', 'replaced_by', 'refresh', 'sensitivity', 'allowed_uses', 'values', 'track_history', 'model_card'],
    } -%}
    {%- set choices = {
        'category': ['attribute', 'behaviour', 'preference', 'lifecycle', 'model', 'imported'],
        'entity': tag_entities().keys() | list,
        'value_type': ['boolean', 'number', 'enum', 'string', 'date'],
        'status': ['draft', 'active', 'deprecated', 'retired'],
        'refresh': ['daily', 'weekly', 'monthly', 'on_demand'],
        'sensitivity': ['public', 'internal', 'personal', 'sensitive'],
    } -%}
    {%- set uses = ['analytics', 'segmentation', 'personalisation', 'advertising', 'export'] -%}
    {%- set tag = {'defined_in': defined_in} -%}
    {%- do tag.update(definition if definition is mapping else {}) -%}
    {%- do validate_spec('Tag', tag, definition, fields.required, fields.optional, choices) -%}
    {%- if not modules.re.match('^[a-z][a-z0-9_]{1,62}$', definition.code | string) or '__' in definition.code -%}
        {%- do definition_error('Tag', tag, 'code', "'" ~ definition.code ~ "' is not a tag code: lower-case letters, digits and single underscores, starting with a letter, at most 63 characters") -%}
    {%- endif -%}
    {%- do tag.update({
        'status': definition.get('status', 'active'),
        'refresh': definition.get('refresh', 'daily'),
        'sensitivity': definition.get('sensitivity', 'internal'),
        'allowed_uses': definition.get('allowed_uses', uses),
        'values': definition.get('values'),
        'replaced_by': definition.get('replaced_by'),
    }) -%}
    {%- if tag.allowed_uses is string or tag.allowed_uses is not iterable or tag.allowed_uses | reject('in', uses) | list -%}
        {%- do definition_error('Tag', tag, 'allowed_uses', 'must be a list of: ' ~ uses | join(', ')) -%}
    {%- endif -%}
    {%- if tag.sensitivity == 'sensitive' and 'advertising' in tag.allowed_uses -%}
        {%- do definition_error('Tag', tag, 'allowed_uses', 'cannot include advertising for a sensitive tag') -%}
    {%- endif -%}
    {%- if tag.value_type == 'enum' and (tag['values'] is none or tag['values'] is string or tag['values'] is mapping or tag['values'] | length == 0) -%}
        {%- do definition_error('Tag', tag, 'values', 'must list the values of an enum tag') -%}
    {%- elif tag.value_type == 'enum' and tag['values'] | reject('string') | list -%}
        {%- do definition_error('Tag', tag, 'values', 'must be text values (quote values such as \'500_2000\' that YAML reads as numbers)') -%}
    {%- elif tag.value_type != 'enum' and tag['values'] is not none -%}
        {%- do definition_error('Tag', tag, 'values', 'is only for enum tags') -%}
    {%- endif -%}
    {%- if tag.category == 'model' and not definition.get('model_card') -%}
        {%- do definition_error('Tag', tag, 'model_card', 'is missing: a model tag says what it predicts, its training data, metrics, data gates and limits') -%}
    {%- endif -%}
    {%- if tag.status == 'deprecated' and not tag.replaced_by -%}
        {%- do definition_error('Tag', tag, 'replaced_by', 'is missing: a deprecated tag names the tag that replaces it') -%}
    {%- elif tag.replaced_by and tag.status != 'deprecated' -%}
        {%- do definition_error('Tag', tag, 'replaced_by', 'is only for deprecated tags') -%}
    {%- endif -%}
    {%- do tag.update({'track_history': definition.get('track_history', tag.value_type in ['enum', 'boolean'])}) -%}
    {%- if tag.track_history not in [true, false] -%}
        {%- do definition_error('Tag', tag, 'track_history', 'must be true or false') -%}
    {%- endif -%}
    {%- do _validate_tag_rule(tag) -%}
    {{ return(tag) }}
{%- endmacro %}


{#- Checks that need every tag: replacements and the tags a derived rule reads. -#}
{% macro _check_tag_references(tag, by_code) -%}
    {%- if tag.replaced_by -%}
        {%- set replacement = by_code.get(tag.replaced_by) -%}
        {%- if replacement is none or replacement.code == tag.code or replacement.status in ['deprecated', 'retired'] -%}
            {%- do definition_error('Tag', tag, 'replaced_by', "names '" ~ tag.replaced_by ~ "', which is not another draft or active tag") -%}
        {%- endif -%}
    {%- endif -%}
    {%- if tag.rule.type == 'sql' and tag.kind == 'derived' -%}
        {%- set words = modules.re.findall('[a-z][a-z0-9_]*', tag.rule.expression | lower) -%}
        {%- do tag.update({'reads': by_code.keys() | select('in', words) | reject('equalto', tag.code) | sort}) -%}
    {%- endif -%}
    {%- for code in tag.reads -%}
        {%- set read = by_code.get(code) -%}
        {%- if read is none or read.entity != tag.entity -%}
            {%- do definition_error('Tag', tag, 'rule.of', "names '" ~ code ~ "', which is not a " ~ tag.entity ~ ' tag') -%}
        {%- elif read.kind in ['derived'] -%}
            {%- do definition_error('Tag', tag, 'rule.of', "names '" ~ code ~ "', a derived tag; derived rules read aggregate, top, passthrough and imported tags") -%}
        {%- elif read.status == 'retired' -%}
            {%- do definition_error('Tag', tag, 'rule.of', "names '" ~ code ~ "', which is retired") -%}
        {%- elif tag.rule.type in ['bucket', 'threshold'] and read.value_type != 'number' -%}
            {%- do definition_error('Tag', tag, 'rule.of', "names '" ~ code ~ "', a " ~ read.value_type ~ ' tag; ' ~ tag.rule.type ~ ' needs a number') -%}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
