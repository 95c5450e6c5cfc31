{#- Text functions whose names or arguments differ between engines. -#}

{#- The length of `text` in UTF-8 bytes (its length in characters is length(text)). -#}
{% macro byte_length(text) -%}
    {{ return(adapter.dispatch('byte_length', 'portrait')(text)) }}
{%- endmacro %}

{% macro duckdb__byte_length(text) -%}
    strlen({{ text }})
{%- endmacro %}

{% macro spark__byte_length(text) -%}
    octet_length({{ text }})
{%- endmacro %}

{#- `text` without any of the characters of the SQL string `characters` at either end. -#}
{% macro trim_characters(text, characters) -%}
    {{ return(adapter.dispatch('trim_characters', 'portrait')(text, characters)) }}
{%- endmacro %}

{% macro duckdb__trim_characters(text, characters) -%}
    trim({{ text }}, {{ characters }})
{%- endmacro %}

{% macro spark__trim_characters(text, characters) -%}
    trim(both {{ characters }} from {{ text }})
{%- endmacro %}

{#- `text` without any of the characters of `characters` at its start. -#}
{% macro ltrim_characters(text, characters) -%}
    {{ return(adapter.dispatch('ltrim_characters', 'portrait')(text, characters)) }}
{%- endmacro %}

{% macro duckdb__ltrim_characters(text, characters) -%}
    ltrim({{ text }}, {{ characters }})
{%- endmacro %}

{% macro spark__ltrim_characters(text, characters) -%}
    trim(leading {{ characters }} from {{ text }})
{%- endmacro %}

{#- `text` without any of the characters of `characters` at its end. -#}
{% macro rtrim_characters(text, characters) -%}
    {{ return(adapter.dispatch('rtrim_characters', 'portrait')(text, characters)) }}
{%- endmacro %}

{% macro duckdb__rtrim_characters(text, characters) -%}
    rtrim({{ text }}, {{ characters }})
{%- endmacro %}

{% macro spark__rtrim_characters(text, characters) -%}
    trim(trailing {{ characters }} from {{ text }})
{%- endmacro %}

{#- true when `text` starts with `prefix`. -#}
{% macro text_starts_with(text, prefix) -%}
    {{ return(adapter.dispatch('text_starts_with', 'portrait')(text, prefix)) }}
{%- endmacro %}

{% macro duckdb__text_starts_with(text, prefix) -%}
    starts_with({{ text }}, {{ prefix }})
{%- endmacro %}

{% macro spark__text_starts_with(text, prefix) -%}
    startswith({{ text }}, {{ prefix }})
{%- endmacro %}

{#- true when `text` ends with `suffix`. -#}
{% macro text_ends_with(text, suffix) -%}
    {{ return(adapter.dispatch('text_ends_with', 'portrait')(text, suffix)) }}
{%- endmacro %}

{% macro duckdb__text_ends_with(text, suffix) -%}
    suffix({{ text }}, {{ suffix }})
{%- endmacro %}

{% macro spark__text_ends_with(text, suffix) -%}
    endswith({{ text }}, {{ suffix }})
{%- endmacro %}

{#- A timestamp as text 'YYYY-MM-DD HH:MM:SS' (seconds, no fraction), or `compact` 'YYYYMMDDHHMMSS'. -#}
{% macro format_timestamp(expression, compact=false) -%}
    {{ return(adapter.dispatch('format_timestamp', 'portrait')(expression, compact)) }}
{%- endmacro %}

{% macro duckdb__format_timestamp(expression, compact) -%}
    strftime({{ expression }}, {{ "'%Y%m%d%H%M%S'" if compact else "'%Y-%m-%d %H:%M:%S'" }})
{%- endmacro %}

{% macro spark__format_timestamp(expression, compact) -%}
    date_format({{ expression }}, {{ "'yyyyMMddHHmmss'" if compact else "'yyyy-MM-dd HH:mm:ss'" }})
{%- endmacro %}

{#- `text` split at every `separator` (SQL text, taken literally) into a list; empty parts kept. -#}
{% macro split_text(text, separator) -%}
    {{ return(adapter.dispatch('split_text', 'portrait')(text, separator)) }}
{%- endmacro %}

{% macro duckdb__split_text(text, separator) -%}
    string_split({{ text }}, {{ separator }})
{%- endmacro %}

{#- Spark's split takes a regular expression: the separators Portrait splits at are plain
    characters of no special meaning (a comma). -#}
{% macro spark__split_text(text, separator) -%}
    split({{ text }}, {{ separator }}, -1)
{%- endmacro %}

{#- The Unicode replacement character U+FFFD, which a decoder writes for bytes it cannot read. -#}
{% macro replacement_character() -%}
    {{ return(adapter.dispatch('replacement_character', 'portrait')()) }}
{%- endmacro %}

{% macro duckdb__replacement_character() -%}
    chr(65533)
{%- endmacro %}

{#- Spark's chr() gives ASCII only: the character decoded from its UTF-8 bytes. -#}
{% macro spark__replacement_character() -%}
    decode(x'EFBFBD', 'UTF-8')
{%- endmacro %}
