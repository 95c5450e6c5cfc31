{#-
    The source registry (var `source_registry` in dbt_project.yml), validated, as a list of dicts in
    the order declared. Each entry:
      name            '<source>.<table>' as in the source's _<source>__sources.yml
      source, table   its two parts
      base_model      base_<source>__<table>: every raw row with its row_status
      staging_model   stg_<source>__<table>: the staged rows
      raw_folder      the source table's identifier (its folder under the raw directory); known
                      when dbt executes, `<source>_<table>` while it parses
      key             columns identifying a row
      observed_at     SQL time a row was seen (none for sources without identifiers)
      identifiers     [{type, value, type_from}]: type is an identifier type, or none when the type
                      is read from the column `type_from`
      attributes      [{name, column, priority, lookup: {model, key} or none, description}]
      events          [{event_name, event_name_column, channel, channel_column, at, reference, sku,
                      amount, where}] (absent fields none)
    `check_identifier_types`: also check every identifier type against the loaded seed
    identifier_types (callers declare `-- depends_on: {{ ref('identifier_types') }}`).
    A wrong entry stops the compilation: `Source definition '<name>' (dbt_project.yml, vars.
    source_registry): field '<field>' <problem>`.
-#}
{% macro source_registry(check_identifier_types=false) -%}
    {%- set known_types = identifier_rules().keys() | list if execute and check_identifier_types else none -%}
    {%- set entries = [] -%}
    {%- for name, spec in var('source_registry', {}).items() -%}
        {%- do entries.append(_registered_source(name, spec, known_types)) -%}
    {%- endfor -%}
    {{ return(entries) }}
{%- endmacro %}


{% macro _registered_source(name, spec, known_types) -%}
    {%- set definition = {'name': name, 'defined_in': 'dbt_project.yml, vars.source_registry'} -%}
    {%- do validate_spec('Source', definition, spec, ['key'], ['observed_at', 'identifiers', 'attributes', 'events']) -%}
    {%- if not modules.re.match('^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$', name) -%}
        {%- do definition_error('Source', definition, 'name', "must be '<source>.<table>' of a source in models/staging/<source>/_<source>__sources.yml") -%}
    {%- endif -%}
    {%- set source_name, table_name = name.split('.') -%}
    {%- set entry = {
        'name': name, 'source': source_name, 'table': table_name,
        'base_model': 'base_' ~ source_name ~ '__' ~ table_name,
        'staging_model': 'stg_' ~ source_name ~ '__' ~ table_name,
        'raw_folder': _registered_raw_folder(definition, source_name, table_name),
        'key': spec.key, 'observed_at': spec.get('observed_at'),
        'identifiers': _registered_identifiers(definition, spec.get('identifiers') or {}, known_types),
        'attributes': _registered_attributes(definition, spec.get('attributes') or {}),
        'events': _registered_events(definition, spec.get('events') or []),
    } -%}
    {%- if entry.key is string or entry.key is mapping or entry.key is not iterable or entry.key | length == 0 -%}
        {%- do definition_error('Source', definition, 'key', 'must be a list of the columns that identify a row') -%}
    {%- endif -%}
    {%- if entry.identifiers and not entry.observed_at -%}
        {%- do definition_error('Source', definition, 'observed_at', 'is missing: a source with identifiers says when a row was seen') -%}
    {%- endif -%}
    {{ return(entry) }}
{%- endmacro %}


{#-
    The raw folder of a registered source table: its identifier in the sources' properties (unknown
    while dbt parses, and in unit tests, which see no graph: `<source>_<table>` stands in).
-#}
{% macro _registered_raw_folder(definition, source_name, table_name) -%}
    {%- if not execute or not (graph.get('sources') or {}) -%}
        {{ return(source_name ~ '_' ~ table_name) }}
    {%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == source_name and node.name == table_name -%}
        {{ return(node.identifier) }}
    {%- endfor -%}
    {%- do definition_error('Source', definition, 'name',
        'names no source table: declare table ' ~ table_name ~ ' of source ' ~ source_name
        ~ ' in models/staging/' ~ source_name ~ '/_' ~ source_name ~ '__sources.yml') -%}
{%- endmacro %}


{% macro _registered_identifiers(definition, identifiers, known_types) -%}
    {%- if identifiers is not mapping -%}
        {%- do definition_error('Source', definition, 'identifiers', 'must map identifier types to values: {phone: phone}') -%}
    {%- endif -%}
    {%- set checked = [] -%}
    {%- for type, value in identifiers.items() -%}
        {%- set field = 'identifiers.' ~ type -%}
        {%- if value is mapping -%}
            {%- do validate_spec('Source', definition, value, ['value', 'type_from'], path=field ~ '.') -%}
            {%- do checked.append({'type': none, 'value': value.value, 'type_from': value.type_from}) -%}
        {%- elif value is string and value -%}
            {%- if known_types is not none and type not in known_types -%}
                {%- do definition_error('Source', definition, field,
                    "names '" ~ type ~ "', which is not an identifier type of seeds/identity/identifier_types.csv ("
                    ~ known_types | join(', ') ~ ')') -%}
            {%- endif -%}
            {%- do checked.append({'type': type, 'value': value, 'type_from': none}) -%}
        {%- else -%}
            {%- do definition_error('Source', definition, field, 'must be a SQL value (a column) or {value: ..., type_from: <column>}') -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}


{% macro _registered_attributes(definition, attributes) -%}
    {%- if attributes is not mapping -%}
        {%- do definition_error('Source', definition, 'attributes', 'must map attribute names to {priority, column, lookup, description}') -%}
    {%- endif -%}
    {%- set checked = [] -%}
    {%- for attribute, spec in attributes.items() -%}
        {%- set field = 'attributes.' ~ attribute -%}
        {%- do validate_spec('Source', definition, spec, ['priority'], ['column', 'lookup', 'description'], path=field ~ '.') -%}
        {%- if spec.priority is not number or spec.priority is boolean or spec.priority < 1 -%}
            {%- do definition_error('Source', definition, field ~ '.priority', 'must be a whole number from 1 (1 = the strongest source)') -%}
        {%- endif -%}
        {%- set lookup = spec.get('lookup') -%}
        {%- if lookup is not none and (lookup is not mapping or lookup.keys() | list | sort != ['key', 'model']) -%}
            {%- do definition_error('Source', definition, field ~ '.lookup', 'must be {model: <staging model>, key: <column both share>}') -%}
        {%- endif -%}
        {%- do checked.append({
            'name': attribute, 'column': spec.get('column', attribute), 'priority': spec.priority,
            'lookup': lookup, 'description': spec.get('description'),
        }) -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}


{% macro _registered_events(definition, events) -%}
    {%- if events is string or events is mapping or events is not iterable -%}
        {%- do definition_error('Source', definition, 'events', 'must be a list of events') -%}
    {%- endif -%}
    {%- set fields = ['event_name', 'event_name_column', 'channel', 'channel_column', 'at', 'reference', 'sku', 'amount', 'where'] -%}
    {%- set checked = [] -%}
    {%- for event in events -%}
        {%- set field = 'events[' ~ loop.index0 ~ ']' -%}
        {%- do validate_spec('Source', definition, event, ['at'], fields | reject('equalto', 'at') | list, path=field ~ '.') -%}
        {%- for pair in [['event_name', 'event_name_column'], ['channel', 'channel_column']] if (event.get(pair[0]) is none) == (event.get(pair[1]) is none) -%}
            {%- do definition_error('Source', definition, field, 'needs one of ' ~ pair | join(' or ')) -%}
        {%- endfor -%}
        {%- if event.get('event_name') is not none and not modules.re.match('^[a-z][a-z0-9_]*$', event.event_name | string) -%}
            {%- do definition_error('Source', definition, field ~ '.event_name', "'" ~ event.event_name ~ "' is not an event name: lower-case letters, digits, underscores") -%}
        {%- endif -%}
        {%- set entry = {} -%}
        {%- for name in fields -%}
            {%- do entry.update({name: event.get(name)}) -%}
        {%- endfor -%}
        {%- do checked.append(entry) -%}
    {%- endfor -%}
    {{ return(checked) }}
{%- endmacro %}
