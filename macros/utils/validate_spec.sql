{#-
    Checks one definition's fields (a tag, a segment, a destination, a registered source...) and
    stops the compilation at the first wrong one with definition_error:
      spec       the mapping as written in YAML (anything else: "is not a mapping")
      required   fields that must be present and not empty
      optional   the other fields allowed (a field in neither list is unknown)
      choices    {field: [allowed values]}, checked when the field is present
    `definition` names it in the error ({code or name, defined_in}); `path` is the place of `spec`
    inside the definition, prefixed to the fields it names (`attributes.phone.`, `events[0].`).
    Returns nothing; defaults and checks between fields stay with each kind.
-#}
{% macro validate_spec(kind, definition, spec, required, optional=[], choices={}, path='') -%}
    {%- if spec is not mapping -%}
        {%- set where = ((definition.get('code') or definition.get('name') or '') ~ ' ' ~ path) | trim -%}
        {%- do exceptions.raise_compiler_error(
            kind ~ ' definition ' ~ (where ~ ' ' if where else '') ~ 'in ' ~ definition.get('defined_in', '?')
            ~ ' is not a mapping: ' ~ spec
        ) -%}
    {%- endif -%}
    {%- for field in required if spec.get(field) is none or spec.get(field) == '' -%}
        {%- do definition_error(kind, definition, path ~ field, 'is missing') -%}
    {%- endfor -%}
    {%- for field in spec if field not in required + optional -%}
        {%- do definition_error(kind, definition, path ~ field,
            'is not a ' ~ kind | lower ~ ' field; known fields: ' ~ (required + optional) | join(', ')) -%}
    {%- endfor -%}
    {%- for field, allowed in choices.items() if field in spec and spec[field] not in allowed -%}
        {%- do definition_error(kind, definition, path ~ field, "is '" ~ spec[field] ~ "'; one of: " ~ allowed | join(', ')) -%}
    {%- endfor -%}
{%- endmacro %}
