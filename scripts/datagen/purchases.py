"""The repeat-buying process and the order sources.

Each buyer has a purchase rate (gamma across people) and, after every
purchase, a probability of silently dropping out (beta across people): a
BG/NBD-style process run in seasonal operational time, so that 618, 双11,
年货节 and 38 女王节 raise volume.  Orders are routed to tmall / jd / douyin /
miniprogram / POS by the person's channel preference; items follow category
preference and the person's spend level.
"""

import numpy as np

from . import people as ppl
from .frames import Frame, rank_within
from .idcodes import PLATFORMS, sql_masked_phone, unique_ints
from .identifiers import pick_or_null
from .people import DOUYIN, MINIPROGRAM, POS
from .seasonality import ONLINE_HOURS, STORE_HOURS, _month_dom, seconds_of_day
from .sqltext import money, pick, ts_local, ts_slash

STATUS = ["paid", "refunded", "cancelled"]
COUPON_PREFIXES = ["MJ", "NEW", "S618", "D11", "QW38", "CNY", "VIP", "POS"]
COUPON_TIERS = [(1500, 200), (800, 100), (400, 50), (200, 30), (100, 15)]  # (min gross, value) CNY


class Orders:
    pass


def simulate(ctx, P, cat, stores) -> Orders:
    rng = ctx.rng("purchases")
    cal = ctx.cal
    H = cal.horizon
    strengths = [p.season_strength for p in ppl.PERSONAS]
    clock = cal.clock(strengths)

    # ---- buy-until-dropout process, vectorised over buyers, one step per purchase
    buyers = np.flatnonzero(P.rate > 0)
    g = P.persona[buyers].astype(np.int64)
    t = P.acquired[buyers].copy()
    tau = clock.forward(t, g)
    lam = P.rate[buyers] / 365.0
    rec_p, rec_t = [buyers], [t.copy()]
    P.dropped = np.zeros(P.n, dtype=bool)
    P.last_purchase = np.full(P.n, np.nan)
    P.last_purchase[buyers] = t
    active = np.arange(len(buyers))
    while len(active):
        die = rng.random(len(active)) < P.dropout[buyers[active]]
        P.dropped[buyers[active[die]]] = True
        active = active[~die]
        tau[active] += rng.exponential(size=len(active)) / lam[active]
        tn = clock.inverse(tau[active], g[active])
        ok = tn < H
        active = active[ok]
        rec_p.append(buyers[active])
        rec_t.append(tn[ok])
        P.last_purchase[buyers[active]] = tn[ok]
    person = np.concatenate(rec_p)
    tt = np.concatenate(rec_t)
    keep = tt >= 0
    person, tt = person[keep], tt[keep]
    P.dropout_day = np.where(P.dropped, P.last_purchase, np.nan)

    n = len(person)
    orders = Orders()
    day = np.floor(tt).astype(np.int64)
    mult = cal.multiplier(day)

    # ---- channel
    pref = P.channel_pref[person]
    ch = ppl.sample_rows(rng, pref)
    shift = (ch == POS) & (mult > 2.0) & (rng.random(n) < 0.6)
    ch[shift] = ppl.sample_rows(rng, pref[shift][:, :POS])
    # ---- time of day (midnight rush on 618 / 双11 online)
    sec = np.where(ch == POS, seconds_of_day(rng, n, STORE_HOURS), seconds_of_day(rng, n, ONLINE_HOURS))
    rush = (ch != POS) & cal.promo_day(day) & (rng.random(n) < 0.25)
    sec[rush] = rng.integers(0, 3600, int(rush.sum()))
    ts = cal.epoch(day, sec)

    order = np.lexsort((ts, ch))  # by channel, then time
    person, day, ch, ts, mult = person[order], day[order], ch[order], ts[order], mult[order]

    # ---- store and terminal
    store = np.full(n, -1, dtype=np.int64)
    is_pos = ch == POS
    home = P.home_store[person]
    other = rng.integers(0, stores.n, n)
    store[is_pos] = np.where((home[is_pos] >= 0) & (rng.random(int(is_pos.sum())) < 0.88), home[is_pos], other[is_pos])
    not_open = is_pos & (stores.opened[np.maximum(store, 0)] > day)
    store[not_open] = stores.fallback[store[not_open]]
    guided = (ch == MINIPROGRAM) & P.wecom[person] & (home >= 0) & (rng.random(n) < 0.6)
    store[guided] = home[guided]
    terminal = np.where(is_pos, (rng.random(n) * stores.terminals[np.maximum(store, 0)]).astype(int), -1)

    # ---- items: SKUs by category preference and spend level, 1-4 lines per order
    lam_items = ppl._pattr("items_lambda")[P.persona[person]] * np.where(mult > 1.8, 1.3, 1.0)
    n_items = 1 + np.minimum(rng.poisson(lam_items), 3)
    it_order = np.repeat(np.arange(n), n_items)
    ip = person[it_order]
    sku = cat.choose(rng, P.category_pref[ip], P.spend[ip], day[it_order])
    uniq = np.unique(it_order * cat.n + sku, return_index=True)[1]
    it_order, sku = it_order[uniq], sku[uniq]  # one line per (order, sku), sorted by order
    m_items = len(sku)
    deal = P.persona[person[it_order]] == ppl.DEAL
    qty = 1 + (rng.random(m_items) < np.where(deal, 0.22, 0.12)) + (rng.random(m_items) < 0.04)
    factor = np.ones(m_items)
    och = ch[it_order]
    promo = (och <= DOUYIN) & (mult[it_order] > 1.8) & (rng.random(m_items) < 0.7)
    factor[promo] = 0.85
    live = (och == DOUYIN) & ~promo & (rng.random(m_items) < 0.3)
    factor[live] = 0.9
    unit = np.round(cat.price_cents[sku] * factor / 100).astype(np.int64) * 100
    gross = np.bincount(it_order, weights=qty * unit, minlength=n).astype(np.int64)

    # ---- coupons and discount
    cp = ppl._pattr("coupon_p")[P.persona[person]] * np.where(mult > 1.5, 1.5, 1.0) * np.where(is_pos, 0.5, 1.0)
    use = rng.random(n) < np.minimum(cp, 0.95)
    value = np.zeros(n, dtype=np.int64)
    for lo, v in reversed(COUPON_TIERS):
        value[gross >= lo * 100] = v
    use &= value > 0
    value = np.where(use, value, 0)
    discount = np.minimum(value * 100, np.maximum(gross - 100, 0))
    first = np.r_[True, np.zeros(n - 1, dtype=bool)] if n else np.zeros(0, bool)
    first_order = np.zeros(n, dtype=bool)
    _, first_idx = np.unique(person * 0 + person, return_index=True)
    by_time = np.argsort(ts, kind="stable")
    _, fi = np.unique(person[by_time], return_index=True)
    first_order[by_time[fi]] = True
    del first, first_idx
    dates = cal.start + day
    month, dom = _month_dom(dates)
    pfx = np.zeros(n, dtype=np.int64)  # MJ (满减)
    pfx[((month == 5) & (dom >= 25)) | ((month == 6) & (dom <= 20))] = 2
    pfx[((month == 10) & (dom >= 20)) | ((month == 11) & (dom <= 12))] = 3
    pfx[(month == 3) & (dom <= 8)] = 4
    pfx[(month == 1) | ((month == 2) & (dom <= 10))] = 5
    pfx[first_order] = 1
    pfx[(P.persona[person] == ppl.VIP) & (rng.random(n) < 0.3)] = 6
    pfx[is_pos] = 7
    pfx = np.where(use, pfx, -1)

    # ---- status
    refund_p = ppl._pattr("refund_p")[P.persona[person]] * np.select([ch == DOUYIN, is_pos], [1.5, 0.4], 1.0)
    u = rng.random(n)
    status = np.where(u < refund_p, 1, np.where(u > 1 - np.where(is_pos, 0.003, 0.02), 2, 0))

    # ---- order numbers (increase with time within each platform / store-day)
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    ymd = year * 10000 + month * 100 + dom
    code = np.zeros(n, dtype=np.int64)
    for c, base, step in [
        (0, 3_700_000_000_000_000_000, 2_000_000),
        (1, 290_000_000_000, 3_000),
        (2, 6_900_000_000_000_000_000, 1_000_000_000),
    ]:
        idx = np.flatnonzero(ch == c)
        code[idx] = base + np.cumsum(rng.integers(1, step, len(idx)))
    idx = np.flatnonzero(ch == MINIPROGRAM)
    code[idx] = ymd[idx] * 1_000_000 + 1 + rank_within(ymd[idx]) * 3 + rng.integers(0, 3, len(idx))
    idx = np.flatnonzero(is_pos)
    grp = store[idx] * 100_000_000 + ymd[idx]
    o2 = np.lexsort((ts[idx], grp))
    seq = np.empty(len(idx), dtype=np.int64)
    seq[o2] = rank_within(grp[o2])
    code[idx] = ymd[idx] * 10_000 + 1 + seq

    # ---- identifiers shown on the order
    is_mem = P.is_member[person]
    bound = rng.random(P.n)  # marketplace membership binding
    bind_p = np.select([ch == 0, ch == 1, ch == 2], [0.35, 0.2, 0.1], 0.0)
    show_member = np.select(
        [ch == MINIPROGRAM, is_pos],
        [is_mem & (rng.random(n) < 0.97), is_mem & (rng.random(n) < 0.9)],
        is_mem & (bound[person] < bind_p),
    )
    use2 = P.has_phone2[person] & (rng.random(n) < 0.3)
    real_phone = np.where(use2, P.phone2[person], P.phone1[person])
    u = rng.random(n)
    phone_p = np.select([ch == MINIPROGRAM, is_pos], [0.95, np.where(is_mem, 0.5, 0.25)], 0.0)
    mask_p = np.select([ch == 0, ch == 1, ch == 2], [0.9, 0.85, 0.7], 0.0)
    phone = np.where(u < phone_p, real_phone, np.where(u < mask_p, P.phone1[person], 0))
    masked = (ch <= DOUYIN) & (phone > 0)
    via_app = (ch == MINIPROGRAM) & P.app[person] & is_mem & (rng.random(n) < 0.35)

    # mini-program buyers use the main mini-program; marketplace buyers get buyer ids
    mp_buy = np.flatnonzero(ch == MINIPROGRAM)
    first_mp = np.full(P.n, np.iinfo(np.int64).max)
    np.minimum.at(first_mp, person[mp_buy], ts[mp_buy])
    forced = first_mp < np.iinfo(np.int64).max
    P.mp_at = np.where(forced & (~P.mp1 | (P.mp_at > first_mp)), first_mp - 600, P.mp_at)
    P.mp1 |= forced
    P.buyer_code = np.zeros((3, P.n), dtype=np.int64)
    ranges = [(1_000_000_000, 999_999_999_999), (16**9, 16**10), (10**15, 10**16)]
    for c in range(3):
        used = np.zeros(P.n, dtype=bool)
        used[person[ch == c]] = True
        k = int(used.sum())
        P.buyer_code[c, used] = unique_ints(rng, k, *ranges[c])

    # ---- per-person summaries (ground truth and CRM member level)
    paid = gross - discount
    P.n_orders = np.bincount(person, minlength=P.n)
    ok = status == 0
    P.total_paid = np.bincount(person[ok], weights=paid[ok], minlength=P.n).astype(np.int64)
    P.first_order_ts = np.full(P.n, -1, dtype=np.int64)
    P.last_order_ts = np.full(P.n, -1, dtype=np.int64)
    if n:
        big = np.iinfo(np.int64).max
        f = np.full(P.n, big)
        np.minimum.at(f, person, ts)
        P.first_order_ts = np.where(f < big, f, -1)
        np.maximum.at(P.last_order_ts, person, ts)

    for k, v in dict(
        person=person,
        day=day,
        ch=ch,
        ts=ts,
        store=store,
        terminal=terminal,
        gross=gross,
        discount=discount,
        paid=paid,
        coupon_prefix=pfx,
        coupon_value=value,
        status=status,
        code=code,
        show_member=show_member,
        phone=phone,
        masked=masked,
        via_app=via_app,
        it_order=it_order,
        sku=sku,
        qty=qty,
        unit=unit,
        mult=mult,
    ).items():
        setattr(orders, k, v)
    orders.n = n
    return orders


# ------------------------------------------------------------------ frames
def _order_id_sql(ch: str, code: str) -> str:
    return f"CASE WHEN {ch} = {MINIPROGRAM} THEN 'MP' || {code}::VARCHAR ELSE {code}::VARCHAR END"


def ecommerce_frames(ctx, P, orders, cat, book):
    online = np.flatnonzero(orders.ch != POS)
    person = orders.person[online]
    ch = orders.ch[online]
    buyer = np.empty(len(online), dtype=object)
    for c in range(3):
        m = ch == c
        buyer[m] = book.buyer_id(c)[person[m]]
    m = ch == MINIPROGRAM
    buyer[m] = book.openid(1)[person[m]]  # mini-program buyer_id is the openid
    arrays = dict(
        ch=ch,
        code=orders.code[online],
        ts=orders.ts[online],
        status=orders.status[online],
        paid=orders.paid[online],
        disc=orders.discount[online],
        cpfx=orders.coupon_prefix[online],
        cval=orders.coupon_value[online],
        store=orders.store[online],
        member_id=pick_or_null(book.member_id(), person, orders.show_member[online]),
        phone=orders.phone[online],
        masked=orders.masked[online],
        buyer_id=buyer,
    )
    exprs = {
        "platform": pick(PLATFORMS, "ch"),
        "order_id": _order_id_sql("ch", "code"),
        "buyer_id": "buyer_id",
        "member_id": "member_id",
        "phone": f"CASE WHEN phone = 0 THEN NULL WHEN masked THEN {sql_masked_phone('phone')} ELSE phone::VARCHAR END",
        "order_time": ts_local("ts"),
        "status": pick(STATUS, "status"),
        "paid_amount": money("paid"),
        "discount_amount": money("disc"),
        "coupon_code": f"CASE WHEN cpfx >= 0 THEN {pick(COUPON_PREFIXES, 'cpfx')} || '-' || cval::VARCHAR END",
        "store_id": "CASE WHEN store >= 0 THEN 'ST' || (1001 + store)::VARCHAR END",
    }
    order_frame = Frame("ecommerce_orders", arrays, exprs, person, ch, orders.ts[online])

    # items: orders.it_order indexes the order rows; online rows keep their relative order
    sel = orders.ch[orders.it_order] != POS
    io = orders.it_order[sel]
    arrays = dict(
        ch=orders.ch[io], code=orders.code[io], sku=orders.sku[sel], qty=orders.qty[sel], unit=orders.unit[sel]
    )
    exprs = {
        "platform": pick(PLATFORMS, "ch"),
        "order_id": _order_id_sql("ch", "code"),
        "sku_id": pick(cat.sku_id, "sku"),
        "quantity": "qty::VARCHAR",
        "unit_price": money("unit"),
    }
    items = Frame("ecommerce_order_items", arrays, exprs, orders.person[io], orders.ch[io], np.arange(len(io)))
    return order_frame, items


def pos_frames(ctx, P, orders, cat, stores, book):
    rows = np.flatnonzero(orders.ch == POS)
    person = orders.person[rows]
    store = orders.store[rows]
    arrays = dict(
        store=store,
        code=orders.code[rows],
        ts=orders.ts[rows],
        status=orders.status[rows],
        paid=orders.paid[rows],
        disc=orders.discount[rows],
        member_id=pick_or_null(book.member_id(), person, orders.show_member[rows]),
        phone=orders.phone[rows],
        term=orders.terminal[rows],
        slash=stores.slash_time_format[store],
    )
    exprs = {
        "store_id": "'ST' || (1001 + store)::VARCHAR",
        "order_id": "code::VARCHAR",
        "member_id": "member_id",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "terminal_id": "'ST' || (1001 + store)::VARCHAR || '-T' || lpad((term + 1)::VARCHAR, 2, '0')",
        "order_time": f"CASE WHEN slash THEN {ts_slash('ts')} ELSE {ts_local('ts')} END",
        "status": pick(STATUS, "status"),
        "paid_amount": money("paid"),
        "discount_amount": money("disc"),
        "_export_batch": "'pos_' || strftime(make_timestamp(ts * 1000000), '%Y%m')",
    }
    order_frame = Frame("pos_orders", arrays, exprs, person, np.zeros(len(rows), dtype=np.int64), orders.ts[rows])
    sel = orders.ch[orders.it_order] == POS
    io = orders.it_order[sel]
    arrays = dict(
        store=orders.store[io], code=orders.code[io], sku=orders.sku[sel], qty=orders.qty[sel], unit=orders.unit[sel]
    )
    exprs = {
        "store_id": "'ST' || (1001 + store)::VARCHAR",
        "order_id": "code::VARCHAR",
        "sku_id": pick(cat.sku_id, "sku"),
        "quantity": "qty::VARCHAR",
        "unit_price": money("unit"),
    }
    items = Frame(
        "pos_order_items", arrays, exprs, orders.person[io], np.zeros(len(io), dtype=np.int64), np.arange(len(io))
    )
    return order_frame, items
