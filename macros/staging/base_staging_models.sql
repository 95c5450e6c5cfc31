{#- Raw folder -> base staging model, for the models that audit every raw row across sources. -#}
{% macro base_staging_models() %}
    {{ return({
        'crm_members': 'base_crm__members',
        'wechat_users': 'base_wechat__users',
        'wecom_contacts': 'base_wecom__contacts',
        'miniprogram_events': 'base_wechat__miniprogram_events',
        'app_events': 'base_app__events',
        'ecommerce_orders': 'base_ecommerce__orders',
        'ecommerce_order_items': 'base_ecommerce__order_items',
        'pos_orders': 'base_pos__orders',
        'pos_order_items': 'base_pos__order_items',
        'ad_leads': 'base_ads__leads',
        'service_tickets': 'base_service__tickets',
        'products': 'base_catalog__products',
        'stores': 'base_catalog__stores',
        'consents': 'base_consent__consents',
        'campaign_events': 'base_campaign__events',
        'third_party_tags': 'base_third_party__tags',
    }) }}
{% endmacro %}
