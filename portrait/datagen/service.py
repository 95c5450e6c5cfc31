"""Customer-service tickets: after refunds (returns, allergy reports) and general enquiries."""

import numpy as np

from . import reference as ref
from .frames import Frame, rank_within
from .identifiers import pick_or_null
from .people import POS, TMALL
from .seasonality import DAY, STORE_HOURS, _month_dom, seconds_of_day
from .sqltext import pick, ts_local
from .streams import permute

GENERAL_CATEGORY_P = np.array([0.25, 0.10, 0.30, 0.05, 0.15, 0.08, 0.07])
REFUND_CATEGORY_P = np.array([0.10, 0.70, 0.00, 0.20, 0.00, 0.00, 0.00])
RATING_P_REFUND = np.array([0.25, 0.25, 0.25, 0.15, 0.10])
RATING_P_GENERAL = np.array([0.05, 0.05, 0.15, 0.35, 0.40])


TICKET_CODES = 1 << 40  # ticket number suffixes: a bijection of the ticket uid below this
GENERAL_TICKETS = 1 << 39  # uid of general enquiries: GENERAL_TICKETS + person number * 2 + number


def ticket_frame(ctx, P, orders, book):
    """The service_tickets source of one chunk: 40% of refunded orders lead to a ticket 1-10 days
    later (uid: the order's), and 6% of buyers (1% of others) open one or two general enquiries
    between their acquisition and --end. Ticket ids are TK + date + a 13-digit bijection of the
    uid."""
    streams = ctx.streams("service")
    cal = ctx.cal
    order_draws = streams.rows(P.block[orders.person])
    refunded = np.flatnonzero((orders.status == 1) & (order_draws.random() < 0.4))
    r_person = orders.person[refunded]
    refund_draws = streams.rows(P.block[r_person])
    r_ts = orders.ordered_at[refunded] + refund_draws.integers(DAY, 10 * DAY)
    r_ch = np.select([orders.channel[refunded] == TMALL, orders.channel[refunded] == POS], [3, 4], 0)
    r_ch = np.where(refund_draws.random() < 0.7, r_ch, refund_draws.integers(0, 3))

    p = np.where(P.rate > 0, 0.06, 0.01)
    who = np.flatnonzero(streams.rows(P.block).random() < p)
    count = 1 + (streams.rows(P.block[who]).random() < 0.3)
    g_person = np.repeat(who, count)
    k = len(g_person)
    general_draws = streams.rows(P.block[g_person])
    lo = np.clip(P.acquired[g_person], 0, cal.horizon - 1)
    t = lo + general_draws.random() * (cal.horizon - lo)
    g_ts = cal.epoch(np.floor(t).astype(np.int64), seconds_of_day(general_draws, STORE_HOURS))
    g_ch = general_draws.integers(0, 4)

    person = np.concatenate([r_person, g_person])
    ts = np.concatenate([r_ts, g_ts])
    refund = np.r_[np.ones(len(r_person), bool), np.zeros(k, bool)]
    uid = np.concatenate([orders.uid[refunded], GENERAL_TICKETS + P.idx[g_person] * 2 + rank_within(g_person)])
    n = len(person)
    draws = streams.rows(P.block[person])
    cat_ = np.where(refund, draws.choice(7, p=REFUND_CATEGORY_P), draws.choice(7, p=GENERAL_CATEGORY_P))
    rating = np.where(refund, draws.choice(5, p=RATING_P_REFUND), draws.choice(5, p=RATING_P_GENERAL)) + 1
    rating = np.where(draws.random() < 0.35, 0, rating)
    u = draws.random()
    phone = np.where(u < 0.15, 0, np.where(P.has_phone2[person] & (u > 0.85), P.phone2[person], P.phone1[person]))
    member_id = pick_or_null(book.member_id(), person, P.is_member[person] & (draws.random() < 0.8))
    dates = cal.start + (ts - cal.start_epoch) // DAY
    month, day_of_month = _month_dom(dates)
    ymd = (dates.astype("datetime64[Y]").astype(np.int64) + 1970) * 10000 + month * 100 + day_of_month
    arrays = dict(
        ymd=ymd,
        code=permute(uid, TICKET_CODES, "ticket"),
        member_id=member_id,
        phone=phone,
        ch=np.concatenate([r_ch, g_ch]),
        cat=cat_,
        rating=rating,
        ts=ts,
    )
    exprs = {
        "ticket_id": "'TK' || ymd::VARCHAR || lpad(code::VARCHAR, 13, '0')",
        "member_id": "member_id",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "channel": pick(ref.TICKET_CHANNELS, "ch"),
        "category": pick(ref.TICKET_CATEGORIES, "cat"),
        "rating": "CASE WHEN rating > 0 THEN rating::VARCHAR END",
        "created_at": ts_local("ts"),
    }
    return Frame("service_tickets", arrays, exprs, person, np.zeros(n, dtype=np.int64), ts, uid, ts)
