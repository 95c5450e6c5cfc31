"""Ground truth for scoring: persons, identifiers, per-row provenance, noise summary."""

import json
import os

import numpy as np

from . import noise
from . import people as ppl
from . import reference as ref
from .idcodes import DEVICE_TYPES, PLATFORMS
from .sqltext import pick, str_list

PERSON_ID = "'P' || lpad((p + 1)::VARCHAR, 8, '0')"
ID_TYPES = [
    "buyer_id",
    "email",
    "external_userid",
    "member_id",
    "oaid",
    "idfa",
    "android_id",
    "openid",
    "phone",
    "terminal_id",
    "unionid",
]


def write(ctx, P, orders, stores, writer, book):
    con = ctx.con
    _persons(ctx, P, stores)
    _identifiers(ctx, P, orders, writer, book)
    con.execute(f"COPY gt_rows TO '{os.path.join(ctx.gt_dir, 'rows.parquet')}' (FORMAT parquet)")
    con.execute("DROP TABLE gt_rows")
    summary = {
        "generator": {
            "customers": ctx.customers,
            "seed": ctx.seed,
            "start": str(ctx.cal.start),
            "end": str(ctx.cal.end),
            "format": ctx.file_format,
        },
        "rates": noise.RATES,
        "sources": writer.summary,
    }
    with open(os.path.join(ctx.gt_dir, "noise_summary.json"), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, ensure_ascii=False, indent=1)
        fh.write("\n")


def _persons(ctx, P, stores):
    cal = ctx.cal
    nan_day = lambda x: np.where(np.isnan(x), -(10**6), np.floor(np.nan_to_num(x))).astype(np.int64)  # noqa: E731
    arr = dict(
        p=np.arange(P.n),
        persona=P.persona,
        female=P.female,
        birth=P.birth_days,
        age=P.age,
        city=P.city,
        tier=P.tier,
        acquired=np.floor(P.acquired).astype(np.int64) + cal.start_days,
        rate=P.rate,
        dropout=P.dropout,
        spend=P.spend,
        member=P.is_member,
        alive=~P.dropped & (P.rate > 0),
        dropped_day=nan_day(P.dropout_day) + cal.start_days,
        has_dropped=P.dropped,
        n_orders=P.n_orders,
        paid=P.total_paid,
        first=P.first_order_ts,
        last=P.last_order_ts,
        store=P.home_store,
        app=P.app,
        mp=P.mp1 | P.mp2,
        oa=P.oa,
        wecom=P.wecom,
        unionid=P.has_unionid,
        cat=np.argmax(P.category_pref, axis=1),
        engagement=P.engagement,
    )
    ctx.con.register("_persons", arr)
    path = os.path.join(ctx.gt_dir, "persons.parquet")
    ctx.con.execute(f"""COPY (SELECT {PERSON_ID} AS person_id,
        {pick(ppl.PERSONA_NAMES, "persona")} AS persona,
        CASE WHEN female THEN 'F' ELSE 'M' END AS gender,
        (DATE '1970-01-01' + birth::INTEGER) AS birth_date, age::INTEGER AS age_at_end,
        {pick([c[0] for c in ref.CITIES], "city")} AS province,
        {pick([c[1] for c in ref.CITIES], "city")} AS city,
        {pick(ref.CITY_TIERS, "tier")} AS city_tier,
        (DATE '1970-01-01' + acquired::INTEGER) AS acquired_at,
        rate AS purchase_rate, dropout AS dropout_probability, spend AS spend_level,
        engagement AS engagement_level, {pick(ref.CATEGORY_L1, "cat")} AS preferred_category_l1,
        member AS is_member, alive AS alive_at_end,
        CASE WHEN has_dropped THEN DATE '1970-01-01' + dropped_day::INTEGER END AS dropped_out_after,
        n_orders::INTEGER AS n_orders, round(paid / 100.0, 2) AS paid_amount_total,
        CASE WHEN first >= 0 THEN make_timestamp(first * 1000000) END AS first_order_at,
        CASE WHEN last >= 0 THEN make_timestamp(last * 1000000) END AS last_order_at,
        CASE WHEN store >= 0 THEN 'ST' || (1001 + store)::VARCHAR END AS home_store_id,
        app AS uses_app, mp AS uses_miniprogram, oa AS follows_official_account,
        wecom AS has_wecom_contact, unionid AS has_unionid
        FROM _persons) TO '{path}' (FORMAT parquet)""")
    ctx.con.unregister("_persons")


def _identifiers(ctx, P, orders, writer, book):
    """identifiers.parquet: one row per (person, identifier), by person then identifier type;
    shared identifiers (family devices, POS terminals, placeholder phones) repeat per person."""
    rows = _IdentifierRows()
    _personal_identifiers(rows, ctx, P, book)
    _device_identifiers(rows, P, book)
    _buyer_identifiers(rows, P, orders, book)
    _terminal_identifiers(rows, orders)
    _placeholder_phones(rows, writer)
    arr = rows.arrays()
    order = np.lexsort((arr["t"], arr["p"]))  # by person, then identifier type
    arr = {k: v[order] for k, v in arr.items()}
    con = ctx.con
    con.register("_ids", arr)
    path = os.path.join(ctx.gt_dir, "identifiers.parquet")
    con.execute(f"""COPY (SELECT {PERSON_ID} AS person_id, {str_list(ID_TYPES)}[t + 1] AS identifier_type,
        s AS identifier_scope, v AS identifier_value, shared AS is_shared FROM _ids) TO '{path}' (FORMAT parquet)""")
    con.unregister("_ids")


class _IdentifierRows:
    """Identifier rows collected in blocks: person, type (ID_TYPES index), scope, value, is_shared."""

    def __init__(self):
        self.people, self.types, self.scopes, self.values, self.shared = [], [], [], [], []

    def add(self, person, id_type, value, scope="", is_shared=False):
        person = np.asarray(person, dtype=np.int64)
        self.people.append(person)
        self.types.append(np.full(len(person), ID_TYPES.index(id_type), dtype=np.int8))
        self.scopes.append(np.full(len(person), scope, dtype=object))
        self.values.append(np.asarray(value, dtype=object))
        self.shared.append(np.full(len(person), is_shared))

    def arrays(self) -> dict:
        """The blocks concatenated: p, t, s, v, shared."""
        return dict(
            p=np.concatenate(self.people),
            t=np.concatenate(self.types),
            s=np.concatenate(self.scopes),
            v=np.concatenate(self.values),
            shared=np.concatenate(self.shared),
        )


def _personal_identifiers(rows, ctx, P, book):
    """Member ids (and duplicate memberships), phones, e-mails, unionids, openids per app, WeCom ids."""
    mem = np.flatnonzero(P.is_member)
    rows.add(mem, "member_id", book.member_id()[mem])
    m2 = np.flatnonzero(P.has_member2)
    rows.add(m2, "member_id", book.member_id(True)[m2])
    rows.add(np.arange(P.n), "phone", book.phone1())
    ph2 = np.flatnonzero(P.has_phone2)
    rows.add(ph2, "phone", book.phone2()[ph2])
    em = np.flatnonzero(P.has_email)
    rows.add(em, "email", book.email()[em])
    wx = np.flatnonzero(P.has_unionid & (P.oa | P.mp1 | P.mp2 | P.wecom))
    rows.add(wx, "unionid", book.unionid()[wx])
    for app, flag in enumerate((P.oa, P.mp1, P.mp2)):
        who = np.flatnonzero(flag)
        rows.add(who, "openid", book.openid(app)[who], ctx.appids[app])
    wc = np.flatnonzero(P.wecom)
    rows.add(wc, "external_userid", book.external_userid()[wc])


def _device_identifiers(rows, P, book):
    """Advertising ids of devices seen in raw rows (first and second devices), and shared family
    devices (one row per person using them)."""
    for slot, flag in ((0, P.device_seen), (1, P.has_device2)):
        for t, name in enumerate(DEVICE_TYPES):
            who = np.flatnonzero(flag & (book.device_type(slot) == t))
            rows.add(who, name, book.device(slot)[who])
    sd = np.flatnonzero(P.shared_device >= 0)
    for t, name in enumerate(DEVICE_TYPES):
        who = sd[P.shared_device_type[P.shared_device[sd]] == t]
        rows.add(who, name, book.shared_device()[P.shared_device[who]], is_shared=True)


def _buyer_identifiers(rows, P, orders, book):
    """Marketplace buyer ids (scope: platform), and the main mini-program's openid as the
    miniprogram buyer id of its buyers."""
    for c in range(3):
        who = np.flatnonzero(P.buyer_code[c] > 0)
        rows.add(who, "buyer_id", book.buyer_id(c)[who], PLATFORMS[c])
    mp_buyers = np.unique(orders.person[orders.channel == ppl.MINIPROGRAM])
    rows.add(mp_buyers, "buyer_id", book.openid(1)[mp_buyers], "miniprogram")


def _terminal_identifiers(rows, orders):
    """POS terminals, shared by everyone paying at them: one row per person and terminal used."""
    pos = orders.channel == ppl.POS
    key = np.unique(orders.person[pos] * 1_000_000 + orders.store[pos] * 100 + orders.terminal[pos])
    store, term = (key % 1_000_000) // 100, key % 100
    labels = np.array(
        [f"ST{1001 + s}-T{t + 1:02d}" for s in range(int(store.max(initial=0)) + 1) for t in range(100)], dtype=object
    )
    rows.add(key // 1_000_000, "terminal_id", labels[store * 100 + term], is_shared=True)


def _placeholder_phones(rows, writer):
    """Placeholder phones written in raw rows, one row per person who "used" them."""
    if writer.placeholder_rows and sum(len(r[0]) for r in writer.placeholder_rows):
        pp = np.concatenate([r[0] for r in writer.placeholder_rows]).astype(np.int64)
        pv = np.concatenate([r[1] for r in writer.placeholder_rows]).astype(np.int64)
        key = np.unique(pp * 100_000_000_000 + pv)
        rows.add(
            key // 100_000_000_000,
            "phone",
            np.char.zfill((key % 100_000_000_000).astype(str), 11).astype(object),
            is_shared=True,
        )
