{#-
    Every identifier seen in a staged row: the raw material of the identity graph.
    Each entry maps a staging model to the identifiers its rows carry ([type, SQL value]) and the
    time a row was observed. Scoped ids keep their scope in the value (appid/openid,
    platform/buyer_id). Add a source here to let it link people.
-#}
{%- set sources = [
    {'model': 'stg_crm__members', 'observed_at': 'coalesce(updated_at, registered_at)',
     'identifiers': [['member_id', 'member_id'], ['phone', 'phone'], ['email', 'email']]},
    {'model': 'stg_wechat__users', 'observed_at': 'coalesce(updated_at, subscribed_at)',
     'identifiers': [['openid', "appid || '/' || openid"], ['unionid', 'unionid'], ['phone', 'phone']]},
    {'model': 'stg_wecom__contacts', 'observed_at': 'added_at',
     'identifiers': [['external_userid', 'external_userid'], ['unionid', 'unionid']]},
    {'model': 'stg_wechat__miniprogram_events', 'observed_at': 'event_at',
     'identifiers': [['openid', "appid || '/' || openid"], ['unionid', 'unionid']]},
    {'model': 'stg_app__events', 'observed_at': 'event_at',
     'identifiers': [['device', 'device_id'], ['member_id', 'member_id']]},
    {'model': 'stg_ecommerce__orders', 'observed_at': 'ordered_at',
     'identifiers': [['buyer_id', "platform || '/' || buyer_id"], ['member_id', 'member_id'], ['phone', 'phone']]},
    {'model': 'stg_pos__orders', 'observed_at': 'ordered_at',
     'identifiers': [['member_id', 'member_id'], ['phone', 'phone'], ['terminal_id', "store_id || '/' || terminal_id"]]},
    {'model': 'stg_ads__leads', 'observed_at': 'created_at',
     'identifiers': [['phone', 'phone'], ['device', 'device_id']]},
    {'model': 'stg_service__tickets', 'observed_at': 'created_at',
     'identifiers': [['member_id', 'member_id'], ['phone', 'phone']]},
] -%}

with unioned as (

    {% for source in sources %}
        {%- for identifier_type, value in source.identifiers %}
            select
                {% if identifier_type == 'device' -%}
                    device_id_type
                {%- else -%}
                    '{{ identifier_type }}'
                {%- endif %} as identifier_type,
                {{ value }} as identifier_value,
                '{{ source.model }}' as source_model,
                {{ source_row_key() }} as source_row_key,
                {{ source.observed_at }} as observed_at
            from {{ ref(source.model) }}
            where {{ value }} is not null
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

with_node as (

    select
        identifier_type || ':' || identifier_value as node_id,
        identifier_type,
        identifier_value,
        source_model,
        source_row_key,
        observed_at
    from unioned
    where identifier_type is not null

)

select * from with_node
