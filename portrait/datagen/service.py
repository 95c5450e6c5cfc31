"""Customer-service tickets: after refunds (returns, allergy reports) and general enquiries."""

import numpy as np

from . import reference as ref
from .frames import Frame, rank_within
from .identifiers import pick_or_null
from .people import POS, TMALL
from .seasonality import DAY, STORE_HOURS, seconds_of_day
from .sqltext import pick, ts_local

GENERAL_CATEGORY_P = np.array([0.25, 0.10, 0.30, 0.05, 0.15, 0.08, 0.07])
REFUND_CATEGORY_P = np.array([0.10, 0.70, 0.00, 0.20, 0.00, 0.00, 0.00])
RATING_P_REFUND = np.array([0.25, 0.25, 0.25, 0.15, 0.10])
RATING_P_GENERAL = np.array([0.05, 0.05, 0.15, 0.35, 0.40])


def ticket_frame(ctx, P, orders, book):
    rng = ctx.rng("service")
    cal = ctx.cal
    end = cal.start_epoch + cal.horizon * DAY - 1
    refunded = np.flatnonzero((orders.status == 1) & (rng.random(orders.count) < 0.4))
    r_person = orders.person[refunded]
    r_ts = orders.ordered_at[refunded] + rng.integers(DAY, 10 * DAY, len(refunded))
    r_ch = np.select([orders.channel[refunded] == TMALL, orders.channel[refunded] == POS], [3, 4], 0)
    r_ch = np.where(rng.random(len(refunded)) < 0.7, r_ch, rng.integers(0, 3, len(refunded)))

    p = np.where(P.rate > 0, 0.06, 0.01)
    who = np.flatnonzero(rng.random(P.n) < p)
    g_person = np.repeat(who, 1 + (rng.random(len(who)) < 0.3))
    k = len(g_person)
    lo = np.clip(P.acquired[g_person], 0, cal.horizon - 1)
    t = lo + rng.random(k) * (cal.horizon - lo)
    g_ts = cal.epoch(np.floor(t).astype(np.int64), seconds_of_day(rng, k, STORE_HOURS))
    g_ch = rng.integers(0, 4, k)

    person = np.concatenate([r_person, g_person])
    ts = np.minimum(np.concatenate([r_ts, g_ts]), end)
    refund = np.r_[np.ones(len(r_person), bool), np.zeros(k, bool)]
    n = len(person)
    cat_ = np.where(refund, rng.choice(7, n, p=REFUND_CATEGORY_P), rng.choice(7, n, p=GENERAL_CATEGORY_P))
    rating = np.where(refund, rng.choice(5, n, p=RATING_P_REFUND), rng.choice(5, n, p=RATING_P_GENERAL)) + 1
    rating = np.where(rng.random(n) < 0.35, 0, rating)
    u = rng.random(n)
    phone = np.where(u < 0.15, 0, np.where(P.has_phone2[person] & (u > 0.85), P.phone2[person], P.phone1[person]))
    member_id = pick_or_null(book.member_id(), person, P.is_member[person] & (rng.random(n) < 0.8))
    order = np.argsort(ts, kind="stable")
    day_key = (ts - cal.start_epoch) // DAY
    ymd = np.datetime_as_string((cal.start + day_key).astype("datetime64[D]")).astype("U10")
    ymd_int = np.char.replace(ymd, "-", "").astype(np.int64) if n else np.zeros(0, np.int64)
    seq = np.empty(n, dtype=np.int64)
    seq[order] = rank_within(day_key[order])
    arrays = dict(
        code=ymd_int * 100_000 + 1 + seq,
        member_id=member_id,
        phone=phone,
        ch=np.concatenate([r_ch, g_ch]),
        cat=cat_,
        rating=rating,
        ts=ts,
    )
    exprs = {
        "ticket_id": "'TK' || code::VARCHAR",
        "member_id": "member_id",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "channel": pick(ref.TICKET_CHANNELS, "ch"),
        "category": pick(ref.TICKET_CATEGORIES, "cat"),
        "rating": "CASE WHEN rating > 0 THEN rating::VARCHAR END",
        "created_at": ts_local("ts"),
    }
    return Frame("service_tickets", arrays, exprs, person, np.zeros(n, dtype=np.int64), ts)
