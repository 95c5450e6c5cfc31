-- One timeline across all sources, keyed by person: every behaviour event, order, refund, lead,
-- service ticket, subscription, WeCom contact, registration and campaign touch that happened by
-- the as_of cut-off. Event names are normalised to a small vocabulary (see the column docs).
with rows_resolved as (

    select * from {{ ref('int_rows_resolved') }}

),

app_events as (

    select * from {{ ref('stg_app__events') }}

),

miniprogram_events as (

    select * from {{ ref('stg_wechat__miniprogram_events') }}

),

orders as (

    select * from {{ ref('orders') }}
    where one_id is not null

),

leads as (

    select * from {{ ref('stg_ads__leads') }}

),

tickets as (

    select * from {{ ref('stg_service__tickets') }}

),

wechat_users as (

    select * from {{ ref('stg_wechat__users') }}

),

wecom_contacts as (

    select * from {{ ref('stg_wecom__contacts') }}

),

members as (

    select * from {{ ref('stg_crm__members') }}

),

campaign_events as (

    select * from {{ ref('stg_campaign__events') }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

row_events as (

    -- Rows of sources that carry identifiers themselves: resolved through int_rows_resolved.
    select
        'stg_app__events' as source_model,
        {{ source_row_key() }} as source_row_key,
        event_at,
        {{ normalize_event_name('event_name') }} as event_name,
        'app' as channel,
        sku_id,
        coalesce(event_id, content_id) as reference_id,
        try_cast(json_extract_string(properties, '$.amount') as decimal(18, 2)) as amount
    from app_events

    union all

    select
        'stg_wechat__miniprogram_events' as source_model,
        {{ source_row_key() }} as source_row_key,
        event_at,
        {{ normalize_event_name('event_name') }} as event_name,
        'miniprogram' as channel,
        sku_id,
        coalesce(event_id, content_id) as reference_id,
        try_cast(json_extract_string(properties, '$.amount') as decimal(18, 2)) as amount
    from miniprogram_events

    union all

    select
        'stg_ads__leads' as source_model,
        {{ source_row_key() }} as source_row_key,
        created_at as event_at,
        'lead' as event_name,
        'ads' as channel,
        null as sku_id,
        platform || ':' || lead_id as reference_id,
        null as amount
    from leads

    union all

    select
        'stg_service__tickets' as source_model,
        {{ source_row_key() }} as source_row_key,
        created_at as event_at,
        'service_ticket' as event_name,
        'service' as channel,
        null as sku_id,
        ticket_id as reference_id,
        null as amount
    from tickets

    union all

    select
        'stg_wechat__users' as source_model,
        {{ source_row_key() }} as source_row_key,
        subscribed_at as event_at,
        'subscribe' as event_name,
        app_type as channel,
        null as sku_id,
        appid as reference_id,
        null as amount
    from wechat_users
    where subscribed_at is not null

    union all

    select
        'stg_wecom__contacts' as source_model,
        {{ source_row_key() }} as source_row_key,
        added_at as event_at,
        'wecom_added' as event_name,
        'wecom' as channel,
        null as sku_id,
        staff_userid as reference_id,
        null as amount
    from wecom_contacts

    union all

    select
        'stg_crm__members' as source_model,
        {{ source_row_key() }} as source_row_key,
        registered_at as event_at,
        'register' as event_name,
        'crm' as channel,
        null as sku_id,
        member_id as reference_id,
        null as amount
    from members

),

resolved_row_events as (

    select
        rows_resolved.one_id,
        row_events.*
    from row_events
    inner join rows_resolved
        on
            row_events.source_model = rows_resolved.source_model
            and row_events.source_row_key = rows_resolved.source_row_key

),

order_event_names as (

    select 'purchase' as event_name
    union all
    select 'refund' as event_name

),

order_events as (

    -- The data has no refund time: a refund is dated at its order.
    select
        orders.one_id,
        orders.source_model,
        orders.source_row_key,
        orders.ordered_at as event_at,
        event_names.event_name,
        orders.channel,
        null as sku_id,
        orders.order_key as reference_id,
        orders.paid_amount as amount
    from orders
    inner join order_event_names as event_names
        on
            (event_names.event_name = 'purchase' and orders.status != 'cancelled')
            or (event_names.event_name = 'refund' and orders.status = 'refunded')

),

campaign_touches as (

    select
        identifier_people.one_id,
        'stg_campaign__events' as source_model,
        {{ source_row_key('campaign_events') }} as source_row_key,
        campaign_events.event_at,
        'campaign_' || campaign_events.event_name as event_name,
        campaign_events.channel,
        null as sku_id,
        campaign_events.campaign_id as reference_id,
        campaign_events.revenue as amount
    from campaign_events
    inner join identifier_people
        on
            campaign_events.identifier_type = identifier_people.identifier_type
            and campaign_events.identifier = identifier_people.identifier
    -- assignments and the holdout's rows are experiment records, not messages that reached the
    -- person: they stay out of the timeline (models/campaigns reads them)
    where campaign_events.event_name != 'assigned' and not campaign_events.is_holdout

),

all_events as (

    select * from resolved_row_events
    union all
    select * from order_events
    union all
    select * from campaign_touches

),

timeline as (

    select
        one_id,
        event_at,
        {{ local_date('event_at') }} as event_date,
        event_name,
        channel,
        sku_id,
        reference_id,
        cast(amount as decimal(18, 2)) as amount,
        source_model,
        source_row_key
    from all_events
    where event_at < {{ as_of_cutoff() }}

)

select * from timeline
