"""The raw-data contract: columns, files, natural keys and which columns each
noise kind may touch, for every raw source folder."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceSpec:
    name: str
    columns: tuple  # contract columns, in file order
    files: tuple  # ((file stem, format used with --format mixed), ...)
    key: tuple  # natural key columns -> rows.parquet record_key
    extras: tuple = ()  # extra columns outside the contract (ignored downstream)
    key_column: str = None  # emptied by missing_key
    phone: str = None  # phone_format / placeholder_phone target
    phone_when: str = "TRUE"  # SQL condition for phone noise (e.g. identifier_type)
    email: str = None  # email_format target
    email_when: str = "TRUE"
    text: tuple = ()  # whitespace targets
    optional: tuple = ()  # null_like targets
    timestamps: tuple = ()  # invalid_timestamp targets
    amounts: tuple = ()  # negative_amount targets
    noise: tuple = ()  # enabled noise kinds
    json_numbers: tuple = ()  # written as JSON numbers when numeric


ALL = (
    "duplicate",
    "malformed_line",
    "missing_key",
    "invalid_timestamp",
    "negative_amount",
    "placeholder_phone",
    "phone_format",
    "email_format",
    "whitespace",
    "null_like",
)


def _kinds(*exclude):
    return tuple(k for k in ALL if k not in exclude)


SPECS = {
    s.name: s
    for s in [
        SourceSpec(
            "crm_members",
            (
                "member_id",
                "phone",
                "email",
                "name",
                "gender",
                "birthday",
                "province",
                "city",
                "register_channel",
                "register_store_id",
                "registered_at",
                "member_level",
                "updated_at",
            ),
            (("crm_members", "csv"),),
            ("member_id",),
            extras=("_export_batch",),
            key_column="member_id",
            phone="phone",
            email="email",
            text=("name", "province", "city", "member_level"),
            optional=("email", "name", "gender", "birthday", "province", "city"),
            timestamps=("registered_at", "updated_at"),
            noise=_kinds("negative_amount"),
        ),
        SourceSpec(
            "wechat_users",
            ("appid", "app_type", "openid", "unionid", "phone", "subscribe_status", "subscribed_at", "updated_at"),
            (("wechat_users", "jsonl"),),
            ("appid", "openid"),
            extras=("_ingest_ts",),
            key_column="openid",
            optional=("unionid", "phone"),
            text=("subscribe_status",),
            timestamps=("subscribed_at", "updated_at"),
            noise=("duplicate", "malformed_line", "missing_key", "invalid_timestamp", "whitespace", "null_like"),
        ),
        SourceSpec(
            "wecom_contacts",
            ("external_userid", "unionid", "staff_userid", "added_at"),
            (("wecom_contacts", "csv"),),
            ("external_userid", "staff_userid"),
            key_column="external_userid",
            optional=("unionid",),
            timestamps=("added_at",),
            noise=("duplicate", "malformed_line", "missing_key", "invalid_timestamp", "null_like"),
        ),
        SourceSpec(
            "miniprogram_events",
            (
                "event_id",
                "appid",
                "openid",
                "unionid",
                "event_name",
                "sku_id",
                "content_id",
                "page",
                "event_time",
                "properties",
            ),
            (("miniprogram_events", "parquet"),),
            ("event_id",),
            key_column="event_id",
            text=("event_name",),
            optional=("unionid", "sku_id", "content_id"),
            timestamps=("event_time",),
            noise=("duplicate", "missing_key", "invalid_timestamp", "whitespace", "null_like"),
        ),
        SourceSpec(
            "app_events",
            (
                "event_id",
                "device_id",
                "device_id_type",
                "member_id",
                "event_name",
                "sku_id",
                "content_id",
                "event_time",
                "properties",
            ),
            (("app_events", "parquet"),),
            ("event_id",),
            key_column="event_id",
            text=("event_name",),
            optional=("member_id", "sku_id", "content_id"),
            timestamps=("event_time",),
            noise=("duplicate", "missing_key", "invalid_timestamp", "whitespace", "null_like"),
        ),
        SourceSpec(
            "ecommerce_orders",
            (
                "platform",
                "order_id",
                "buyer_id",
                "member_id",
                "phone",
                "order_time",
                "status",
                "paid_amount",
                "discount_amount",
                "coupon_code",
                "store_id",
            ),
            (
                ("tmall_orders", "csv"),
                ("jd_orders", "jsonl"),
                ("douyin_orders", "parquet"),
                ("miniprogram_orders", "parquet"),
            ),
            ("platform", "order_id"),
            key_column="order_id",
            phone="phone",
            phone_when="platform = 'miniprogram'",
            text=("status",),
            optional=("member_id", "coupon_code", "store_id"),
            timestamps=("order_time",),
            amounts=("paid_amount",),
            noise=_kinds("email_format"),
        ),
        SourceSpec(
            "ecommerce_order_items",
            ("platform", "order_id", "sku_id", "quantity", "unit_price"),
            (
                ("tmall_order_items", "csv"),
                ("jd_order_items", "jsonl"),
                ("douyin_order_items", "parquet"),
                ("miniprogram_order_items", "parquet"),
            ),
            ("platform", "order_id", "sku_id"),
            key_column="order_id",
            amounts=("unit_price",),
            json_numbers=("quantity",),
            noise=("duplicate", "malformed_line", "missing_key", "negative_amount"),
        ),
        SourceSpec(
            "pos_orders",
            (
                "store_id",
                "order_id",
                "member_id",
                "phone",
                "terminal_id",
                "order_time",
                "status",
                "paid_amount",
                "discount_amount",
            ),
            (("pos_orders", "csv"),),
            ("store_id", "order_id"),
            extras=("_export_batch",),
            key_column="order_id",
            phone="phone",
            text=("status",),
            optional=("member_id", "phone"),
            timestamps=("order_time",),
            amounts=("paid_amount",),
            noise=_kinds("email_format"),
        ),
        SourceSpec(
            "pos_order_items",
            ("store_id", "order_id", "sku_id", "quantity", "unit_price"),
            (("pos_order_items", "csv"),),
            ("store_id", "order_id", "sku_id"),
            key_column="order_id",
            amounts=("unit_price",),
            noise=("duplicate", "malformed_line", "missing_key", "negative_amount"),
        ),
        SourceSpec(
            "ad_leads",
            ("platform", "lead_id", "phone", "device_id", "device_id_type", "campaign_id", "created_at"),
            (("ad_leads", "csv"),),
            ("lead_id",),
            key_column="lead_id",
            phone="phone",
            optional=("device_id",),
            timestamps=("created_at",),
            noise=(
                "duplicate",
                "malformed_line",
                "missing_key",
                "invalid_timestamp",
                "placeholder_phone",
                "phone_format",
                "null_like",
            ),
        ),
        SourceSpec(
            "service_tickets",
            ("ticket_id", "member_id", "phone", "channel", "category", "rating", "created_at"),
            (("service_tickets", "jsonl"),),
            ("ticket_id",),
            key_column="ticket_id",
            phone="phone",
            text=("category",),
            optional=("member_id", "rating"),
            timestamps=("created_at",),
            json_numbers=("rating",),
            noise=(
                "duplicate",
                "malformed_line",
                "missing_key",
                "invalid_timestamp",
                "placeholder_phone",
                "phone_format",
                "whitespace",
                "null_like",
            ),
        ),
        SourceSpec(
            "products",
            ("sku_id", "name", "category_l1", "category_l2", "brand", "list_price", "launched_at"),
            (("products", "csv"),),
            ("sku_id",),
            text=("name",),
            noise=("whitespace",),
        ),
        SourceSpec(
            "stores",
            ("store_id", "name", "province", "city", "city_tier", "opened_at"),
            (("stores", "csv"),),
            ("store_id",),
            text=("name", "city"),
            noise=("whitespace",),
        ),
        SourceSpec(
            "consents",
            ("identifier_type", "identifier", "channel", "status", "updated_at"),
            (("consents", "csv"),),
            ("identifier_type", "identifier", "channel", "updated_at"),
            phone="identifier",
            phone_when="identifier_type = 'phone'",
            email="identifier",
            email_when="identifier_type = 'email'",
            text=("status",),
            timestamps=("updated_at",),
            noise=("duplicate", "malformed_line", "invalid_timestamp", "phone_format", "email_format", "whitespace"),
        ),
        SourceSpec(
            "campaign_events",
            (
                "campaign_id",
                "segment_code",
                "variant",
                "channel",
                "identifier_type",
                "identifier",
                "event_name",
                "event_time",
                "revenue",
            ),
            (("campaign_events", "csv"),),
            ("campaign_id", "identifier_type", "identifier", "event_name"),
            phone="identifier",
            phone_when="identifier_type = 'phone'",
            timestamps=("event_time",),
            amounts=("revenue",),
            noise=("duplicate", "malformed_line", "invalid_timestamp", "negative_amount", "phone_format"),
        ),
        SourceSpec(
            "third_party_tags",
            ("provider", "identifier_type", "identifier", "tag_code", "tag_value", "updated_at"),
            (("third_party_tags", "jsonl"),),
            ("provider", "identifier_type", "identifier", "tag_code"),
            phone="identifier",
            phone_when="identifier_type = 'phone'",
            text=("tag_value",),
            optional=("tag_value",),
            timestamps=("updated_at",),
            noise=("duplicate", "malformed_line", "invalid_timestamp", "phone_format", "whitespace", "null_like"),
        ),
    ]
}

SOURCE_ORDER = list(SPECS)
