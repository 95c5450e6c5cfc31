{#-
    Every activation destination: the exposures whose `meta.destination` holds a destination spec
    (models/activation/_activation__exposures.yml), validated and completed with defaults, as a
    list of dicts sorted by name. Each identifier gets `id_type`, the name of its file
    (`phone_md5`, `external_userid`...). A wrong spec stops the compilation naming the destination
    and the field. Empty while dbt parses. The activation_destinations model keeps the result for
    the export script.
-#}
{% macro activation_destinations() -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set customer_tags = {} -%}
    {%- for tag in tag_definitions('customer', ['active', 'deprecated']) -%}
        {%- do customer_tags.update({tag.code: tag}) -%}
    {%- endfor -%}
    {%- set destinations = [] -%}
    {%- for exposure in graph.exposures.values() | sort(attribute='name') -%}
        {%- set meta = exposure.config.meta or exposure.meta or {} -%}
        {%- if 'destination' in meta -%}
            {%- do destinations.append(_validated_destination({'name': exposure.name, 'defined_in': exposure.original_file_path}, meta.destination, customer_tags, identifier_rules())) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(destinations) }}
{%- endmacro %}


{% macro _validated_destination(definition, spec, customer_tags, identifier_types) -%}
    {%- set required = ['kind', 'identifiers', 'consent_channel', 'file_format'] -%}
    {%- set optional = ['zip', 'max_file_mb', 'max_identifiers_per_person', 'hash_case', 'tags'] -%}
    {%- set choices = {
        'kind': ['advertising', 'owned'],
        'consent_channel': ['sms', 'wecom', 'ads', 'email', 'none'],
        'file_format': ['csv', 'parquet', 'txt'],
        'hash_case': ['lower', 'upper'],
    } -%}
    {%- do validate_spec('Destination', definition, spec, required, optional, choices) -%}
    {%- set destination = {
        'name': definition.name,
        'kind': spec.kind,
        'consent_channel': spec.consent_channel,
        'file_format': spec.file_format,
        'zip': spec.get('zip', false),
        'max_file_mb': spec.get('max_file_mb', 100),
        'max_identifiers_per_person': spec.get('max_identifiers_per_person', 1),
        'hash_case': spec.get('hash_case', 'lower'),
        'tags': spec.get('tags', []),
        'identifiers': [],
    } -%}
    {%- if destination.zip is not boolean -%}
        {%- do definition_error('Destination', definition, 'zip', 'must be true or false') -%}
    {%- endif -%}
    {%- if destination.max_file_mb is not number or destination.max_file_mb is boolean or destination.max_file_mb <= 0 -%}
        {%- do definition_error('Destination', definition, 'max_file_mb', 'must be a number of megabytes above 0') -%}
    {%- endif -%}
    {%- if destination.max_identifiers_per_person is not integer or destination.max_identifiers_per_person is boolean or destination.max_identifiers_per_person < 1 -%}
        {%- do definition_error('Destination', definition, 'max_identifiers_per_person', 'must be a whole number from 1') -%}
    {%- endif -%}
    {%- if spec.identifiers is string or spec.identifiers is mapping or spec.identifiers is not iterable or spec.identifiers | length == 0 -%}
        {%- do definition_error('Destination', definition, 'identifiers', 'must be a list of identifiers in order of preference') -%}
    {%- endif -%}
    {%- for identifier in spec.identifiers -%}
        {%- do destination.identifiers.append(_validated_destination_identifier(definition, identifier, 'identifiers[' ~ loop.index0 ~ ']', destination, identifier_types)) -%}
    {%- endfor -%}
    {%- set types = destination.identifiers | map(attribute='type') | list -%}
    {%- if types | unique | list | length != types | length -%}
        {%- do definition_error('Destination', definition, 'identifiers', 'names an identifier type twice') -%}
    {%- endif -%}
    {%- if destination.kind == 'advertising' and destination.consent_channel != 'ads' -%}
        {%- do definition_error('Destination', definition, 'consent_channel', "must be 'ads' for an advertising destination") -%}
    {%- endif -%}
    {%- if destination.consent_channel == 'none' and (destination.kind != 'owned' or types != ['one_id']) -%}
        {%- do definition_error('Destination', definition, 'consent_channel', "can be 'none' only for an owned destination whose only identifier is one_id (nobody is contacted)") -%}
    {%- endif -%}
    {%- if destination.tags is string or destination.tags is mapping or destination.tags is not iterable -%}
        {%- do definition_error('Destination', definition, 'tags', 'must be a list of customer tag codes') -%}
    {%- elif destination.tags and destination.file_format == 'txt' -%}
        {%- do definition_error('Destination', definition, 'tags', 'cannot be written to a txt file (one id a line): use csv or parquet') -%}
    {%- endif -%}
    {%- for tag in destination.tags -%}
        {%- if tag not in customer_tags -%}
            {%- do definition_error('Destination', definition, 'tags', "names '" ~ tag ~ "', which is not an active customer tag") -%}
        {%- elif 'export' not in customer_tags[tag].allowed_uses -%}
            {%- do definition_error('Destination', definition, 'tags', "names '" ~ tag ~ "', whose allowed_uses do not include export") -%}
        {%- elif destination.kind == 'advertising' and 'advertising' not in customer_tags[tag].allowed_uses -%}
            {%- do definition_error('Destination', definition, 'tags', "names '" ~ tag ~ "', whose allowed_uses do not include advertising") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(destination) }}
{%- endmacro %}


{% macro _validated_destination_identifier(definition, identifier, field, destination, identifier_types) -%}
    {#- the forms each identifier type may leave in: seeds/identity/identifier_types.csv, export_forms -#}
    {%- set normalisations = {'one_id': ['as_is']} -%}
    {%- for type, rule in identifier_types.items() if rule.export_forms -%}
        {%- do normalisations.update({type: rule.export_forms}) -%}
    {%- endfor -%}
    {%- set types = normalisations.keys() | list -%}
    {%- if identifier is not mapping -%}
        {%- do definition_error('Destination', definition, field, 'must be a mapping: {type, normalisation, hashing}') -%}
    {%- endif -%}
    {%- for key in identifier if key not in ['type', 'normalisation', 'hashing'] -%}
        {%- do definition_error('Destination', definition, field ~ '.' ~ key, 'is not an identifier field; known fields: type, normalisation, hashing') -%}
    {%- endfor -%}
    {%- if identifier.get('type') not in types -%}
        {%- do definition_error('Destination', definition, field ~ '.type', "is '" ~ identifier.get('type') ~ "'; one of: " ~ types | join(', ')) -%}
    {%- endif -%}
    {%- set checked = {
        'type': identifier.type,
        'normalisation': identifier.get('normalisation', normalisations[identifier.type][0]),
        'hashing': identifier.get('hashing', 'none'),
    } -%}
    {%- if checked.normalisation not in normalisations[checked.type] -%}
        {%- do definition_error('Destination', definition, field ~ '.normalisation', "is '" ~ checked.normalisation ~ "'; for " ~ checked.type ~ ' one of: ' ~ normalisations[checked.type] | join(', ')) -%}
    {%- endif -%}
    {%- if checked.hashing not in ['none', 'md5', 'sha256'] -%}
        {%- do definition_error('Destination', definition, field ~ '.hashing', "is '" ~ checked.hashing ~ "'; one of: none, md5, sha256") -%}
    {%- endif -%}
    {%- if checked.type == 'one_id' and destination.kind != 'owned' -%}
        {%- do definition_error('Destination', definition, field ~ '.type', 'one_id is internal: only owned destinations receive it') -%}
    {%- endif -%}
    {%- if checked.type == 'one_id' and checked.hashing != 'none' -%}
        {%- do definition_error('Destination', definition, field ~ '.hashing', "must be 'none' for one_id") -%}
    {%- endif -%}
    {%- do checked.update({'id_type': checked.type if checked.hashing == 'none' else checked.type ~ '_' ~ checked.hashing}) -%}
    {{ return(checked) }}
{%- endmacro %}
