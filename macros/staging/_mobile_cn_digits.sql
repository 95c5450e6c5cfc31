{#-
    SQL: a mainland mobile number as its 11 digits, from `text` (already clean_text), or null.
    Read in this order:
    1. a number with one decimal point or an exponent (when whole_number_floats) is read as a
       number: a whole one (`13912340001.0`) is its digits, the exponent form only when it writes
       every digit (`1.3912340001E10`); a shortened mantissa (`1.39123E+10`, as Excel shows it)
       hides digits, and a fraction (`1391234000.1`) is no phone: both give null;
    2. otherwise separators are dropped (whitespace, - ‐ – — − . / ( ) [ ] ~) and one leading `+`;
    3. then at most one prefix: the country code `86` / `0086`, or an IP long-distance prefix
       (17951, 17911, 12593, 17909, 10193); then an optional trunk `0`;
    4. what is left must be 11 digits matching `pattern` (the mobile ranges of the identifier type,
       libphonenumber's CN mobile ranges). Landlines, masked (138****8000) and truncated numbers
       give null.
-#}
{% macro _mobile_cn_digits(text, pattern, whole_number_floats=true) -%}
    {%- set separators -%}[\s\-\x{2010}-\x{2015}\x{2212}()\[\]./~]{%- endset -%}
    {%- set prefixes = '(?:(?:00)?86|17951|17911|12593|17909|10193)?0?' -%}
    {%- set mantissa = "regexp_extract(" ~ text ~ ", '^[0-9]\\.([0-9]+)', 1)" -%}
    {%- set exponent = "try_cast(regexp_extract(" ~ text ~ ", '[eE]\\+?([0-9]+)$', 1) as integer)" -%}
    nullif(regexp_extract(
        case
            {%- if whole_number_floats %}
            when {{ regex_full_match(text, "'[0-9]+\.[0-9]+'") }}
                then case when {{ regex_full_match(text, "'[0-9]+\.0+'") }} then {{ regex_extract(text, "'^[0-9]+'", 0) }} end
            when {{ regex_full_match(text, "'[0-9]\.[0-9]+[eE]\+?[0-9]+'") }}
                then case
                    when length({{ mantissa }}) >= {{ exponent }} and {{ regex_full_match('substr(' ~ mantissa ~ ', ' ~ exponent ~ ' + 1)', "'0*'") }}
                        then left({{ text }}, 1) || left({{ mantissa }}, {{ exponent }})
                end
            {%- endif %}
            else {{ ltrim_characters(regex_replace_all(text, "'" ~ separators ~ "'", "''"), "'+'") }}
        end,
        {{ sql_string('^' ~ prefixes ~ '((?:' ~ pattern ~ '))$') }},
        1
    ), '')
{%- endmacro %}
