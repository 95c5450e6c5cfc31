{#-
    A window as written in tag and segment definitions: none for all history (missing or `all`),
    {label, from_days, to_days} for `<N>d` (the N days ending on as_of) or `<N>d-<M>d` (from N
    days before as_of, excluded, to M days before, included; N > M), false when it is not a window.
-#}
{% macro parse_window(text) -%}
    {%- if text is none or text == 'all' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set match = modules.re.match('^([0-9]+)d(?:-([0-9]+)d)?$', text | string) -%}
    {%- if not match or (match.group(1) | int) == 0 or (match.group(2) is not none and (match.group(2) | int) >= (match.group(1) | int)) -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return({'label': text, 'from_days': match.group(1) | int, 'to_days': (match.group(2) or 0) | int}) }}
{%- endmacro %}
