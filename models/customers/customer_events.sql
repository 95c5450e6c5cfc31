-- One timeline across all sources, keyed by person: every behaviour event, order, refund, lead,
-- service ticket, subscription, WeCom contact, registration and campaign touch that happened by
-- the as_of cut-off. Event names are normalised to a small vocabulary (see the column docs).
-- Which sources produce which events is the source registry (`events` of var source_registry).
{%- set sources = source_registry() | selectattr('events') | list %}
with rows_resolved as (

    select * from {{ ref('int_rows_resolved') }}

),

orders as (

    select * from {{ ref('orders') }}
    where one_id is not null

),

campaign_events as (

    select * from {{ ref('stg_campaign__events') }}

),

identifier_people as (

    select * from {{ ref('identifier_people') }}

),

row_events as (

    -- Rows of sources that carry identifiers themselves (the registry's `events`), resolved
    -- through int_rows_resolved.
    {% for source in sources %}
        {%- for event in source.events %}
            select
                '{{ source.staging_model }}' as source_model,
                {{ source_row_key() }} as source_row_key,
                {{ event.at }} as event_at,
                {% if event.event_name_column -%}
                    {{ normalize_event_name(event.event_name_column) }}
                {%- else -%}
                    {{ sql_string(event.event_name) }}
                {%- endif %} as event_name,
                {{ event.channel_column or sql_string(event.channel) }} as channel,
                {{ event.sku or 'cast(null as string)' }} as sku_id,
                {{ event.reference or 'cast(null as string)' }} as reference_id,
                {{ event.amount or 'cast(null as decimal(18, 2))' }} as amount
            from {{ ref(source.staging_model) }}
            {%- if event.where %}
                where {{ event.where }}
            {%- endif %}
            {% if not loop.last %}union all{% endif %}
        {%- endfor %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

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
        cast(null as string) as sku_id,
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
        cast(null as string) as sku_id,
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
