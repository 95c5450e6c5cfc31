"""CRM member export (one row per membership; 2% of members hold a second,
duplicate membership registered through another channel)."""

import numpy as np

from . import reference as ref
from .frames import Frame
from .identifiers import pick_or_null
from .seasonality import DAY
from .sqltext import date_of, pick, str_list, ts_local

LEVEL_THRESHOLDS_CNY = (1000, 5000, 15000)  # 普卡 < 1000 <= 银卡 < 5000 <= 金卡 < 15000 <= 钻石卡


def crm_frame(ctx, P, stores, book):
    """The crm_members source of the people of one chunk: one row per membership from its
    registration (duplicates registered later through another channel, with another or no
    phone), level from paid spend at --end, some fields left empty. Sets P.member2_at."""
    streams = ctx.streams("members")
    cal = ctx.cal
    end_epoch = cal.end_epoch
    first = np.flatnonzero(P.is_member)
    second = np.flatnonzero(P.has_member2)
    person = np.concatenate([first, second])
    dup = np.r_[np.zeros(len(first), bool), np.ones(len(second), bool)]
    n = len(person)
    draws = streams.rows(P.block[person])
    u = draws.random()
    p1, p2 = P.phone1[person], P.phone2[person]
    phone = np.where(
        dup,
        np.where(P.has_phone2[person], p2, np.where(u < 0.5, p1, 0)),
        np.where(u < 0.03, 0, np.where((u > 0.99) & P.has_phone2[person], p2, p1)),
    )
    room = np.maximum(end_epoch - P.registered[person], 30 * DAY)
    registered = np.where(dup, P.registered[person] + (draws.random() * room).astype(np.int64), P.registered[person])
    P.member2_at = np.full(P.n, np.iinfo(np.int64).max)
    P.member2_at[person[dup]] = registered[dup]
    channel = np.where(dup, draws.integers(1, len(ref.REGISTER_CHANNELS)), P.register_channel[person])
    store = np.where(channel == 0, P.home_store[person], -1)
    level = np.searchsorted(np.array(LEVEL_THRESHOLDS_CNY) * 100, P.total_paid_end[person], side="right")
    level = np.where(dup, 0, level)
    last = np.maximum(P.last_order_ts_end[person], registered)
    updated = np.minimum(last + draws.integers(0, 30 * DAY), end_epoch)
    updated = np.maximum(updated, registered)
    city = P.city[person]
    arrays = dict(
        member_id=np.where(dup, book.member_id(True)[person], book.member_id()[person]),
        phone=phone,
        email=pick_or_null(book.email(), person, P.has_email[person] & ~dup),
        has_name=draws.random() < 0.9,
        sur=P.surname[person],
        g1=P.given1[person],
        g2=P.given2[person],
        female=P.female[person],
        gender=np.where(draws.random() < 0.05, -1, np.where(P.female[person], 0, 1)),
        birth=P.birth_days[person],
        has_birth=draws.random() < 0.75,
        city=np.where(draws.random() < 0.85, city, -1),
        channel=channel,
        store=store,
        reg=registered,
        level=level,
        upd=updated,
    )
    exprs = _columns_sql()
    uid = P.idx[person] * 2 + dup
    zeros = np.zeros(n, dtype=np.int64)
    return Frame("crm_members", arrays, exprs, person, zeros, registered, uid, registered)


def _columns_sql() -> dict:
    """Output column -> DuckDB expression over the arrays of crm_frame."""
    surnames = str_list([s[0] for s in ref.SURNAMES])
    fem, mal = str_list(ref.GIVEN_FEMALE), str_list(ref.GIVEN_MALE)
    given = lambda g: f"CASE WHEN female THEN {fem}[{g} + 1] ELSE {mal}[{g} + 1] END"  # noqa: E731
    exprs = {
        "member_id": "member_id",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "email": "email",
        "name": f"CASE WHEN has_name THEN {surnames}[sur + 1] || {given('g1')} || "
        f"CASE WHEN g2 >= 0 THEN {given('g2')} ELSE '' END END",
        "gender": "CASE gender WHEN 0 THEN '女' WHEN 1 THEN '男' END",
        "birthday": f"CASE WHEN has_birth THEN {date_of('birth')} END",
        "province": pick([c[0] for c in ref.CITIES], "city"),
        "city": pick([c[1] for c in ref.CITIES], "city"),
        "register_channel": pick(ref.REGISTER_CHANNELS, "channel"),
        "register_store_id": "CASE WHEN store >= 0 THEN 'ST' || (1001 + store)::VARCHAR END",
        "registered_at": ts_local("reg"),
        "member_level": pick(ref.MEMBER_LEVELS, "level"),
        "updated_at": ts_local("upd"),
        "_export_batch": "'crm_export_' || strftime(make_timestamp(upd * 1000000), '%Y%m')",
    }
    return exprs
