{#-
    The normalisation rule of every identifier type, from the seed seeds/identity/identifier_types.csv
    (read at compile time, so each rule compiles to constants): {identifier_type: {'normalisation':
    kind, 'whole_number_floats': bool, 'canonical_pattern': RE2 text or none, 'export_forms': the forms
    a destination may receive the type in (first = default; empty: never exported)}}. Kinds:
      mobile_cn   a mainland mobile number as its 11 digits (see _mobile_cn_digits)
      email       lower case, no whitespace
      upper/lower text in one case (device ids: the same id written in either case is one id)
      text        case-sensitive text
    Every kind starts from clean_text and removes whitespace anywhere in the value (an identifier
    never holds a space). `whole_number_floats` reads `1001.0` as `1001`. A canonical value that does
    not fully match `canonical_pattern` is null (not an identifier). Models that call
    normalize_identifier declare `-- depends_on: {{ ref('identifier_types') }}`; the seed must be
    loaded before they compile (`dbt build` does it in order; otherwise `dbt seed` first).
    `relation` reads the rules from that relation instead (the seed's own post-hook, before dbt's
    relation cache knows the table).
-#}
{% macro identifier_rules(relation=none) -%}
    {%- if not execute -%}
        {{ return({}) }}
    {%- endif -%}
    {#- Unit tests see no graph: there the seed is read where dbt_project.yml puts seeds (reference). -#}
    {%- set seed = (graph.get('nodes') or {}).get('seed.' ~ project_name ~ '.identifier_types') -%}
    {%- set location = [seed.database, seed.schema, seed.alias] if seed else [target.database, 'reference', 'identifier_types'] -%}
    {%- set relation = relation or adapter.get_relation(database=location[0], schema=location[1], identifier=location[2]) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error(
            "normalize_identifier: the seed identifier_types (seeds/identity/identifier_types.csv) is not loaded;"
            ~ " run `dbt seed` (or `dbt build`, which loads it first) before compiling models that read identifiers."
        ) }}
    {%- endif -%}
    {%- set rows = run_query(
        'select identifier_type, normalisation, whole_number_floats, canonical_pattern, export_forms from ' ~ relation
    ).rows -%}
    {%- set rules = {} -%}
    {%- for row in rows -%}
        {%- set field = 'seeds/identity/identifier_types.csv, identifier type ' ~ row['identifier_type'] -%}
        {%- if row['normalisation'] not in ['mobile_cn', 'email', 'upper', 'lower', 'text'] -%}
            {{ exceptions.raise_compiler_error(
                field ~ ": field 'normalisation' is '" ~ row['normalisation']
                ~ "'; one of: mobile_cn, email, upper, lower, text"
            ) }}
        {%- endif -%}
        {%- if row['whole_number_floats'] is none -%}
            {{ exceptions.raise_compiler_error(field ~ ": field 'whole_number_floats' must be true or false") }}
        {%- endif -%}
        {%- if row['normalisation'] == 'mobile_cn' and not row['canonical_pattern'] -%}
            {{ exceptions.raise_compiler_error(
                field ~ ": field 'canonical_pattern' must give the mobile number ranges (11 digits) for normalisation mobile_cn"
            ) }}
        {%- endif -%}
        {%- do rules.update({row['identifier_type']: {
            'normalisation': row['normalisation'],
            'whole_number_floats': row['whole_number_floats'],
            'canonical_pattern': row['canonical_pattern'] or none,
            'export_forms': (row['export_forms'] or '').split('|') | reject('equalto', '') | list,
        }}) -%}
    {%- endfor -%}
    {{ return(rules) }}
{%- endmacro %}
