{#- Full-width ASCII forms (Ａ１＠．…) and the ideographic space become their half-width forms. -#}
{% macro to_halfwidth(expression) -%}
    {%- set full_width = '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～　' -%}
    {%- set half_width = '!"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~ ' -%}
    {#- translate() is slow on long mappings, so only strings holding a full-width form pay for it. -#}
    case
        when {{ regex_contains(expression, "'[！-～　]'") }}
            then translate({{ expression }}, {{ sql_string(full_width) }}, {{ sql_string(half_width) }})
        else {{ expression }}
    end
{%- endmacro %}
