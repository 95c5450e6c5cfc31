-- Staged phones are 11-digit mainland mobile numbers: anything else must have been nulled.
{% set models = ['stg_crm__members', 'stg_wechat__users', 'stg_ecommerce__orders', 'stg_pos__orders',
                 'stg_ads__leads', 'stg_service__tickets'] %}

with phones as (

    {% for model in models -%}
        select
            '{{ model }}' as model_name,
            phone
        from {{ ref(model) }}
        where phone is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select *
from phones
where not regexp_full_match(phone, '1[3-9][0-9]{9}')
