-- Every identifier staging keeps is already in its type's canonical form: normalising it again by
-- its type's rule (seeds/identity/identifier_types.csv) gives the same value. A value that differs
-- kept whitespace, an invisible character, the wrong case, a float suffix or a phone prefix; a
-- value that becomes null is not an identifier of its type (a phone outside the mobile ranges).
-- depends_on: {{ ref('identifier_types') }}
{%- set columns = [
    ['stg_crm__members', "'member_id'", 'member_id'],
    ['stg_crm__members', "'phone'", 'phone'],
    ['stg_crm__members', "'email'", 'email'],
    ['stg_wechat__users', "'openid'", 'openid'],
    ['stg_wechat__users', "'unionid'", 'unionid'],
    ['stg_wechat__users', "'phone'", 'phone'],
    ['stg_wechat__miniprogram_events', "'openid'", 'openid'],
    ['stg_wechat__miniprogram_events', "'unionid'", 'unionid'],
    ['stg_wecom__contacts', "'external_userid'", 'external_userid'],
    ['stg_wecom__contacts', "'unionid'", 'unionid'],
    ['stg_app__events', 'device_id_type', 'device_id'],
    ['stg_app__events', "'member_id'", 'member_id'],
    ['stg_ecommerce__orders', "'buyer_id'", 'buyer_id'],
    ['stg_ecommerce__orders', "'member_id'", 'member_id'],
    ['stg_ecommerce__orders', "'phone'", 'phone'],
    ['stg_pos__orders', "'member_id'", 'member_id'],
    ['stg_pos__orders', "'phone'", 'phone'],
    ['stg_pos__orders', "'terminal_id'", 'terminal_id'],
    ['stg_ads__leads', "'phone'", 'phone'],
    ['stg_ads__leads', 'device_id_type', 'device_id'],
    ['stg_service__tickets', "'member_id'", 'member_id'],
    ['stg_service__tickets', "'phone'", 'phone'],
    ['stg_consent__consents', 'identifier_type', 'identifier'],
    ['stg_third_party__tags', 'identifier_type', 'identifier'],
    ['stg_campaign__events', 'identifier_type', 'identifier'],
] %}

with identifiers as (

    {% for model, identifier_type, column in columns -%}
        select
            '{{ model }}' as model_name,
            '{{ column }}' as column_name,
            {{ column }} as identifier,
            {{ normalize_identifier(identifier_type, column) }} as normalised_again
        from (
            {#- each value once: identifiers repeat across rows (an openid in every event) -#}
            select distinct {{ column }}{{ ', ' ~ identifier_type if not identifier_type.startswith("'") }}
            from {{ ref(model) }}
            where {{ column }} is not null
        )
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from identifiers
where normalised_again is distinct from identifier
