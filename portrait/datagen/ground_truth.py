"""Ground truth for scoring: persons, identifiers, per-row provenance (written by the
SourceWriter), noise summary; as of the last day observed."""

import json
import os

import numpy as np

from . import noise
from . import people as ppl
from . import reference as ref
from .idcodes import DEVICE_TYPES, PLATFORMS
from .purchases import record_person_summaries
from .seasonality import DAY
from .sqltext import lit, pick, str_list

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


class GroundTruth:
    """persons.parquet, identifiers.parquet and noise_summary.json, as of the last day observed
    (cutoff: its last second), collected chunk by chunk in person order."""

    def __init__(self, ctx, work_dir: str, cutoff: int, earlier_placeholders=None):
        self.ctx = ctx
        self.work_dir = work_dir
        self.cutoff = cutoff
        self.persons, self.identifiers = [], []
        # (person numbers, phones) of placeholder phones written on earlier days (increments)
        self.earlier = earlier_placeholders

    def add(self, P, orders, book, placeholder_rows) -> None:
        """The chunk's people who exist by the cutoff and their identifiers; placeholder_rows:
        (person numbers, phones) of the chunk's rows written with a placeholder phone."""
        present = ~P.arrived | (P.since <= self.cutoff)
        if not present.any():
            return
        record_person_summaries(P, orders, self.cutoff)
        k = len(self.persons)
        path = os.path.join(self.work_dir, f"persons{k:05d}.parquet")
        _persons(self.ctx, P, present, self.cutoff, path)
        self.persons.append(path)
        if self.earlier is not None:
            mine = np.isin(self.earlier[0], P.idx)
            placeholder_rows = [*placeholder_rows, (self.earlier[0][mine], self.earlier[1][mine])]
        path = os.path.join(self.work_dir, f"identifiers{k:05d}.parquet")
        _identifiers(self.ctx, P, present, orders, book, placeholder_rows, self.cutoff, path)
        self.identifiers.append(path)

    def finish(self, sources_summary: dict, through: str, increments: list) -> None:
        """Writes persons.parquet, identifiers.parquet and noise_summary.json under ground_truth/."""
        con = self.ctx.con
        for name, pieces in (("persons", self.persons), ("identifiers", self.identifiers)):
            listed = ", ".join(lit(x) for x in pieces)
            target = os.path.join(self.ctx.gt_dir, f"{name}.parquet").replace("'", "''")
            con.execute(f"COPY (SELECT * FROM read_parquet([{listed}])) TO '{target}' (FORMAT parquet)")
        summary = {
            "generator": {
                "customers": self.ctx.customers,
                "seed": self.ctx.seed,
                "start": str(self.ctx.cal.start),
                "end": str(self.ctx.cal.end),
                "format": self.ctx.file_format,
                "through": through,
                "increments": increments,
            },
            "rates": noise.RATES,
            "sources": sources_summary,
        }
        with open(os.path.join(self.ctx.gt_dir, "noise_summary.json"), "w", encoding="utf-8") as fh:
            json.dump(summary, fh, ensure_ascii=False, indent=1)
            fh.write("\n")


def _persons(ctx, P, present, cutoff, path):
    """One row per person who exists by the cutoff, with what is known of them at the cutoff."""
    cal = ctx.cal
    nan_day = lambda x: np.where(np.isnan(x), -(10**6), np.floor(np.nan_to_num(x))).astype(np.int64)  # noqa: E731
    dropout_epoch = cal.start_epoch + np.nan_to_num(P.dropout_day, nan=0.0) * DAY
    dropped = P.dropped & (dropout_epoch <= cutoff)
    arr = dict(
        p=P.idx,
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
        alive=~dropped & (P.rate > 0),
        dropped_day=nan_day(P.dropout_day) + cal.start_days,
        has_dropped=dropped,
        n_orders=P.n_orders,
        paid=P.total_paid,
        first=P.first_order_ts,
        last=P.last_order_ts,
        store=P.home_store,
        app=P.app,
        mp=P.mp1 | P.mp2,
        oa=P.oa,
        wecom=P.wecom & (P.wecom_at <= cutoff),
        unionid=P.has_unionid,
        cat=np.argmax(P.category_pref, axis=1),
        engagement=P.engagement,
    )
    arr = {k: v[present] for k, v in arr.items()}
    ctx.con.register("_persons", arr)
    path = path.replace("'", "''")
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


def _identifiers(ctx, P, present, orders, book, placeholder_rows, cutoff, path):
    """One piece of identifiers.parquet: one row per (person, identifier) known by the cutoff, by
    person then identifier type; shared identifiers (family devices, POS terminals, placeholder
    phones) repeat per person."""
    rows = _IdentifierRows(P.idx)
    seen = orders.ordered_at <= cutoff
    _personal_identifiers(rows, ctx, P, book)
    _device_identifiers(rows, P, book, cutoff)
    _buyer_identifiers(rows, P, orders, seen, book)
    _terminal_identifiers(rows, P, orders, seen)
    _placeholder_phones(rows, placeholder_rows)
    arr = rows.arrays()
    keep = np.isin(arr["p"], P.idx[present])
    arr = {k: v[keep] for k, v in arr.items()}
    order = np.lexsort((arr["t"], arr["p"]))  # by person, then identifier type
    arr = {k: v[order] for k, v in arr.items()}
    con = ctx.con
    con.register("_ids", arr)
    path = path.replace("'", "''")
    con.execute(f"""COPY (SELECT {PERSON_ID} AS person_id, {str_list(ID_TYPES)}[t + 1] AS identifier_type,
        s AS identifier_scope, v AS identifier_value, shared AS is_shared FROM _ids) TO '{path}' (FORMAT parquet)""")
    con.unregister("_ids")


class _IdentifierRows:
    """Identifier rows collected in blocks: person number, type (ID_TYPES index), scope, value,
    is_shared. `add` takes chunk-local person indices, `add_numbers` person numbers."""

    def __init__(self, numbers: np.ndarray):
        self.numbers = numbers
        self.people, self.types, self.scopes, self.values, self.shared = [], [], [], [], []

    def add(self, person, id_type, value, scope="", is_shared=False):
        self.add_numbers(self.numbers[np.asarray(person, dtype=np.int64)], id_type, value, scope, is_shared)

    def add_numbers(self, number, id_type, value, scope="", is_shared=False):
        person = np.asarray(number, dtype=np.int64)
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
    """Member ids (and duplicate memberships), phones, e-mails, unionids, openids per app, WeCom
    ids of the people (what they have, whether or not a raw row shows it yet)."""
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


def _device_identifiers(rows, P, book, cutoff):
    """Advertising ids of devices seen in raw rows (app users' phones, devices on ad leads by the
    cutoff, oaids with third-party tags; second devices), and shared family devices (one row per
    person using them)."""
    seen = P.app | (P.lead_device_at <= cutoff) | P.tag_oaid
    for slot, flag in ((0, seen), (1, P.has_device2)):
        for t, name in enumerate(DEVICE_TYPES):
            who = np.flatnonzero(flag & (book.device_type(slot) == t))
            rows.add(who, name, book.device(slot)[who])
    sd = np.flatnonzero(P.shared_device >= 0)
    for t, name in enumerate(DEVICE_TYPES):
        who = sd[P.shared_device_type[P.shared_device[sd]] == t]
        rows.add(who, name, book.shared_device()[P.shared_device[who]], is_shared=True)


def _buyer_identifiers(rows, P, orders, seen, book):
    """Marketplace buyer ids (scope: platform) of people with an order there by the cutoff, and
    the main mini-program's openid as the miniprogram buyer id of its buyers."""
    for c in range(3):
        who = np.unique(orders.person[seen & (orders.channel == c)])
        rows.add(who, "buyer_id", book.buyer_id(c)[who], PLATFORMS[c])
    mp_buyers = np.unique(orders.person[seen & (orders.channel == ppl.MINIPROGRAM)])
    rows.add(mp_buyers, "buyer_id", book.openid(1)[mp_buyers], "miniprogram")


def _terminal_identifiers(rows, P, orders, seen):
    """POS terminals, shared by everyone paying at them: one row per person and terminal used by
    the cutoff."""
    pos = seen & (orders.channel == ppl.POS)
    key = np.unique(orders.person[pos] * 1_000_000 + orders.store[pos] * 100 + orders.terminal[pos])
    store, term = (key % 1_000_000) // 100, key % 100
    labels = np.array(
        [f"ST{1001 + s}-T{t + 1:02d}" for s in range(int(store.max(initial=0)) + 1) for t in range(100)], dtype=object
    )
    rows.add(key // 1_000_000, "terminal_id", labels[store * 100 + term], is_shared=True)


def _placeholder_phones(rows, placeholder_rows):
    """Placeholder phones written in raw rows, one row per person who "used" them
    (placeholder_rows: (person numbers, phones) blocks)."""
    if placeholder_rows and sum(len(r[0]) for r in placeholder_rows):
        pp = np.concatenate([r[0] for r in placeholder_rows]).astype(np.int64)
        pv = np.concatenate([r[1] for r in placeholder_rows]).astype(np.int64)
        key = np.unique(pp * 100_000_000_000 + pv)
        rows.add_numbers(
            key // 100_000_000_000,
            "phone",
            np.char.zfill((key % 100_000_000_000).astype(str), 11).astype(object),
            is_shared=True,
        )
