{#-
    SQL previewing a draft segment (the workbench's segment builder): `draft_json` is a segment
    definition as JSON (as the YAML files write it; code, names, description and owner may be left
    out; `defined_in`, the file it is to be saved in, lets it replace its own earlier version). It is validated and its rule compiled exactly as the build does (_validated_segment,
    _segment_condition, against the project's segments and tags), and the query returns one row per
    destination: segment_code, destination, destination_kind, members, holdout_members,
    reachable_members, identifiers_written, is_refused, refusal_reason (segment_reach_sql over the
    members segment_qualified_sql finds). A wrong draft stops the compilation naming the field
    (definition_error), as a wrong definition file does.
-#}
{% macro segment_preview_sql(draft_json) -%}
    {%- if not execute -%}  {#- parsing: the queries render once, with no segment, for their refs -#}
        {{ return(segment_qualified_sql([]) ~ segment_reach_sql('draft_definition', 'draft_members')) }}
    {%- endif -%}
    {%- set defaults = {'code': 'workbench_draft', 'name_zh': '草稿', 'name_en': 'Draft', 'description': 'workbench draft', 'owner': 'workbench'} -%}
    {%- set draft = fromjson(draft_json) -%}
    {%- if draft is not mapping -%}
        {%- do exceptions.raise_compiler_error('Segment draft: must be a mapping of definition fields') -%}
    {%- endif -%}
    {%- do defaults.update(draft) -%}
    {%- set by_code = {} -%}
    {%- for segment in segment_definitions() -%}
        {%- do by_code.update({segment.code: segment}) -%}
    {%- endfor -%}
    {%- set tags = {} -%}
    {%- for tag in tag_definitions('customer', ['active', 'deprecated']) -%}
        {%- do tags.update({tag.code: tag}) -%}
    {%- endfor -%}
    {%- set defined_in = defaults.pop('defined_in', 'workbench draft') -%}
    {%- set segment = _validated_segment(defaults, defined_in) -%}
    {%- if segment.code in by_code and by_code[segment.code].defined_in != defined_in -%}
        {%- do definition_error('Segment', segment, 'code', 'is defined twice: also in ' ~ by_code[segment.code].defined_in) -%}
    {%- endif -%}
    {%- if segment.rule is none -%}
        {%- do definition_error('Segment', segment, 'rule', 'is needed for a preview') -%}
    {%- endif -%}
    {%- do segment.update({'condition': _segment_condition(segment, segment.rule, 'rule', by_code, tags, [segment.code])}) -%}
with draft_members as (

    select segment_code, one_id, false as is_holdout
    from ({{ segment_qualified_sql([segment]) }}) as qualified

),

draft_definition as (

    select
        {{ sql_string(segment.code) }} as segment_code,
        'active' as status,
        {{ sql_string(segment.type) }} as segment_type,
        {{ sql_string(segment.condition) }} as compiled_condition,
        cast(null as {{ engine_type('json') }}) as lookalike

)

select * from ({{ segment_reach_sql('draft_definition', 'draft_members') }}) as reach
{%- endmacro %}
