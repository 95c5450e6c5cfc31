{#-
    A behaviour event name (app, mini-program) in the timeline vocabulary: view_product,
    view_content, add_to_cart, add_favorite, search, share, login, page_view, purchase. Known
    synonyms are mapped; anything else becomes `other`.
-#}
{% macro normalize_event_name(expression) -%}
    {%- set synonyms = {
        'view_product': ['view_product', 'product_view', 'view_item', 'item_view', 'view_sku'],
        'view_content': ['view_content', 'content_view', 'view_article', 'read_article'],
        'add_to_cart': ['add_to_cart', 'add_cart', 'cart_add', 'addtocart'],
        'add_favorite': ['add_favorite', 'add_favourite', 'favorite', 'collect', 'add_wishlist'],
        'search': ['search', 'search_product'],
        'share': ['share', 'share_product', 'share_content'],
        'login': ['login', 'log_in', 'sign_in'],
        'page_view': ['page_view', 'pageview', 'view_page', 'screen_view'],
        'purchase': ['purchase', 'pay', 'payment', 'order_paid'],
    } -%}
    case
        {%- for event_name, names in synonyms.items() %}
        when lower(trim({{ expression }})) in ({% for name in names %}{{ sql_string(name) }}{% if not loop.last %}, {% endif %}{% endfor %}) then '{{ event_name }}'
        {%- endfor %}
        else 'other'
    end
{%- endmacro %}
