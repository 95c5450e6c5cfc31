-- An exact value of the identifier blocklist is written in its type's canonical form (the form
-- staging gives every identifier), or it would never match: e.g. a zeroed IDFA in lower case.
-- depends_on: {{ ref('identifier_types') }}
with blocklist as (

    select * from {{ ref('identifier_blocklist') }}

),

exact_values as (

    select
        identifier_type,
        pattern,
        {{ normalize_identifier('identifier_type', 'pattern') }} as canonical_value
    from blocklist
    where match_kind = 'exact' and identifier_type != '*'

)

select *
from exact_values
where canonical_value is distinct from pattern
