{#-
    Stops the compilation for a wrong definition, naming it: `<Kind> definition '<name>' (<file>):
    field '<field>' <problem>`. `definition` is a mapping with `code` or `name` and `defined_in`
    (the file it was read from); `field` is the field's path (`rule.of`, `identifiers[0].type`).
-#}
{% macro definition_error(kind, definition, field, problem) -%}
    {%- set definition = definition if definition is mapping else {} -%}
    {%- do exceptions.raise_compiler_error(
        kind ~ " definition '" ~ (definition.get('code') or definition.get('name') or '?') ~ "' ("
        ~ definition.get('defined_in', '?') ~ "): field '" ~ field ~ "' " ~ problem
    ) -%}
{%- endmacro %}
