{#-
    Type names: models, contracts (data_type in the YAML files) and definitions spell types the
    DuckDB way (string, bigint, timestamp, decimal(18,2), string[], json, ubigint,
    struct(a bigint, b string)[]); engine_type() gives the engine's spelling of one.
    Spark: X[] is array<X>, struct(a T) is struct<a:T>, json is string (text holding JSON),
    ubigint is bigint (the 64-bit hashes are signed there), hugeint is decimal(38,0),
    timestamp with time zone is timestamp_ltz, varchar is string.
-#}
{% macro engine_type(type_name) -%}
    {{ return(adapter.dispatch('engine_type', 'portrait')(type_name | trim)) }}
{%- endmacro %}

{% macro default__engine_type(type_name) -%}
    {{ return(type_name) }}
{%- endmacro %}

{% macro spark__engine_type(type_name) -%}
    {%- if type_name.endswith('[]') -%}
        {{ return('array<' ~ spark__engine_type(type_name[:-2] | trim) ~ '>') }}
    {%- endif -%}
    {%- set lowered = type_name | lower -%}
    {%- if lowered.startswith('struct(') and lowered.endswith(')') -%}
        {%- set fields = [] -%}
        {%- for field in type_name[7:-1].split(',') -%}
            {%- set name, field_type = field.strip().split(' ', 1) -%}
            {%- do fields.append(name.strip('"') ~ ':' ~ spark__engine_type(field_type | trim)) -%}
        {%- endfor -%}
        {{ return('struct<' ~ fields | join(',') ~ '>') }}
    {%- endif -%}
    {%- set names = {
        'varchar': 'string', 'text': 'string', 'json': 'string', 'ubigint': 'bigint',
        'hugeint': 'decimal(38,0)', 'timestamp with time zone': 'timestamp_ltz', 'timestamptz': 'timestamp_ltz',
    } -%}
    {{ return(names.get(lowered, type_name)) }}
{%- endmacro %}

{#-
    dbt's contract check reads a model's YAML columns through `select cast(null as <data_type>)`;
    on Spark the DuckDB spellings are translated first (engine_type), so one contract serves both
    engines. The rest is dbt's default__get_empty_schema_sql.
-#}
{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name, column in columns.items() -%}
        {%- set copy = column.copy() -%}
        {%- if column.get('data_type') -%}
            {%- do copy.update({'data_type': engine_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: copy}) -%}
    {%- endfor -%}
    {{ return(dbt.default__get_empty_schema_sql(translated)) }}
{%- endmacro %}
