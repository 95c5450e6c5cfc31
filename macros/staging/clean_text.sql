{#-
    Text as staging keeps it: half-width; invisible characters removed (zero-width space, joiner and
    non-joiner U+200B-U+200D, word joiner U+2060, byte-order mark U+FEFF, soft hyphen U+00AD); every
    other Unicode space (no-break U+00A0, ideographic U+3000, U+2000-U+200A, U+202F, U+205F, line
    and paragraph separators) read as a plain space; surrounding whitespace removed; null-like
    strings (var null_like_strings: '', 'null', 'NULL', '-', 'N/A', 'none', ...) turned into null.
    Every character those rules change is outside ASCII or whitespace at the ends, so text that is
    pure ASCII (as many bytes as characters) and starts and ends with a visible character (most
    identifiers, codes, amounts and times) is kept as it is without a regular expression (9x
    faster per value); it is only compared with the null-like strings. Both paths give the same.
-#}
{% macro clean_text(expression) -%}
    {%- set invisible -%}[\x{200B}-\x{200D}\x{2060}\x{FEFF}\x{00AD}]{%- endset -%}
    {%- set unicode_space -%}[\x{00A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]{%- endset -%}
    {%- set null_like = [] -%}
    {%- for text in var('null_like_strings') if text != '' -%}
        {%- set escaped = namespace(text='') -%}
        {%- for character in text -%}
            {%- set escaped.text = escaped.text ~ ('\\' if character in '\\.^$|?*+()[]{}' else '') ~ character -%}
        {%- endfor -%}
        {%- do null_like.append(escaped.text) -%}
    {%- endfor -%}
    {%- set null_like_pattern = sql_string('(?i)^(?:' ~ null_like | join('|') ~ ')$') -%}
    {%- set longest = var('null_like_strings') | map('length') | max -%}
    case
        when {{ byte_length(expression) }} = length({{ expression }}) and ascii({{ expression }}) > 32 and ascii(right({{ expression }}, 1)) > 32
            then case
                {%- if null_like %}
                when length({{ expression }}) <= {{ longest }} and {{ regex_full_match(expression, null_like_pattern) }} then null
                {%- endif %}
                else {{ expression }}
            end
        else
        nullif({{ regex_replace_all(
            trim_characters(
                regex_replace_all(regex_replace_all(to_halfwidth(expression), "'" ~ invisible ~ "'", "''"), "'" ~ unicode_space ~ "'", "' '"),
                "' ' || chr(9) || chr(10) || chr(13)"
            ),
            null_like_pattern,
            "''"
        ) }}, '')
    end
{%- endmacro %}
