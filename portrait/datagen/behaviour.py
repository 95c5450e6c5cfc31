"""App and mini-program behaviour events.

Three kinds of activity, all vectorised:
* browsing sessions of app / mini-program users during their active window
  (browsers-who-never-buy produce only these);
* purchase funnels for own-store (platform=miniprogram) orders: view_product and
  add_to_cart for every item, then purchase (in the app for some app members);
* research views in the app / mini-program before marketplace and POS orders.
Shared family devices (3-10 people each) are created here.
"""

import numpy as np

from . import people as ppl
from . import reference as ref
from .frames import Frame
from .idcodes import DEVICE_TYPES, K_APP_EVENT, K_MP_EVENT, mix64, sql_event_uuid
from .identifiers import pick_or_null
from .seasonality import DAY, ONLINE_HOURS, seconds_of_day
from .sqltext import money, pick, str_list, ts_local, ts_mixed

EVENT_NAMES = [
    "view_product",
    "view_content",
    "add_to_cart",
    "add_favorite",
    "search",
    "share",
    "purchase",
    "login",
    "page_view",
]
VIEW, CONTENT, CART, FAV, SEARCH, SHARE, PURCHASE, LOGIN, PAGE = range(9)
SESSION_MIX = np.array([0.42, 0.14, 0.08, 0.07, 0.12, 0.04, 0.0, 0.0, 0.13])
N_CONTENT = 300
SHARE_TO = ["friend", "moments", "group"]
LOGIN_METHODS = ["sms", "wechat", "password"]
PAGES = [
    "pages/product/detail",
    "pages/content/article",
    "pages/product/detail",
    "pages/product/detail",
    "pages/search/index",
    "pages/product/detail",
    "pages/order/confirm",
    "pages/member/login",
] + ref.MINIPROGRAM_PAGES
APP_TIME_FORMAT_P = (0.8, 0.1, 0.1)  # local, ISO +08:00, UTC Z
SHARED_DEVICE_SHARE = 0.002  # shared family devices per app user


def _shared_devices(rng, P):
    app_users = np.flatnonzero(P.app)
    k = max(3, int(round(len(app_users) * SHARED_DEVICE_SHARE)))
    sizes = rng.integers(3, 11, k)
    while sizes.sum() > len(app_users) and k > 1:
        k -= 1
        sizes = sizes[:k]
    P.shared_device = np.full(P.n, -1, dtype=np.int64)
    if sizes.sum() <= len(app_users):
        who = rng.choice(app_users, int(sizes.sum()), replace=False)
        P.shared_device[who] = np.repeat(np.arange(k), sizes)
    P.shared_device_type = np.where(rng.random(k) < 0.7, 0, 1).astype(np.int8)
    P.n_shared_devices = k


def device_strings(P, book, which: np.ndarray, person: np.ndarray):
    """(device_id, type) for slot 0 = primary, 1 = second device, 2 = shared family device."""
    dev = np.empty(len(person), dtype=object)
    typ = np.empty(len(person), dtype=np.int8)
    for slot in (0, 1):
        m = which == slot
        dev[m] = book.device(slot)[person[m]]
        typ[m] = book.device_type(slot)[person[m]]
    m = which == 2
    sd = P.shared_device[person[m]]
    dev[m] = book.shared_device()[sd]
    typ[m] = P.shared_device_type[sd]
    return dev, typ


def _sessions(rng, P, cal, users, rate):
    """Browsing sessions: (person, start epoch seconds, n events)."""
    H = cal.horizon
    start = np.maximum(P.acquired[users] - 30, 0)
    end = np.where(
        P.rate[users] > 0,
        np.where(P.dropped[users], P.last_purchase[users] + rng.exponential(60, len(users)), H),
        P.acquired[users] + rng.exponential(400, len(users)),
    )
    end = np.clip(end, 0, H)
    span = np.maximum(end - start, 0)
    count = rng.poisson(rate * span / 30.0)
    person = np.repeat(users, count)
    a, b = np.repeat(start, count), np.repeat(np.maximum(end, start + 1e-6), count)
    t = cal.clock([1.0]).uniform_between(rng, a, b, np.zeros(len(person), dtype=np.int64))
    day = np.minimum(np.floor(t).astype(np.int64), H - 1)
    ts = cal.epoch(day, seconds_of_day(rng, len(person), ONLINE_HOURS))
    return person, ts, 1 + np.minimum(rng.poisson(2.2, len(person)), 11)


def _explode(rng, person, ts, k, first_name):
    """Sessions -> events with increasing times and a funnel-like name mix."""
    sess = np.repeat(np.arange(len(person)), k)
    pos = np.arange(len(sess)) - np.repeat(np.cumsum(k) - k, k)
    gaps = rng.exponential(45, len(sess)).astype(np.int64) + 2
    cs = np.cumsum(gaps)
    offset = cs - np.repeat(cs[np.cumsum(k) - k], k)
    p = SESSION_MIX / SESSION_MIX.sum()
    name = rng.choice(len(EVENT_NAMES), size=len(sess), p=p)
    name = np.where(pos == 0, np.repeat(first_name, k), name)
    return sess, person[sess], ts[sess] + offset, name


def frames(ctx, P, orders, cat, book):
    rng = ctx.rng("behaviour")
    cal = ctx.cal
    _shared_devices(rng, P)
    rate = ppl.persona_values("session_rate")[P.persona] * P.engagement
    both = P.app & P.mp1

    # ---------------------------------------------------------------- app
    users = np.flatnonzero(P.app)
    s_person, s_ts, s_k = _sessions(rng, P, cal, users, rate[users] * np.where(both[users], 0.6, 1.0))
    ns = len(s_person)
    logged = P.is_member[s_person] & (rng.random(ns) < 0.65)
    u = rng.random(ns)
    which = np.where(
        (P.shared_device[s_person] >= 0) & (u < 0.5), 2, np.where(P.has_device2[s_person] & (u > 0.65), 1, 0)
    )
    sess, a_person, a_ts, a_name = _explode(rng, s_person, s_ts, s_k, np.where(logged, LOGIN, PAGE))
    a_logged, a_which = logged[sess], which[sess]
    a_order = np.full(len(sess), -1, dtype=np.int64)

    # ------------------------------------------------------- mini-program
    users = np.flatnonzero(P.mp1)
    m_sp, m_sts, m_k = _sessions(rng, P, cal, users, rate[users] * np.where(both[users], 0.6, 1.0))
    app_idx = np.where(P.mp2[m_sp] & (rng.random(len(m_sp)) < 0.25), 2, 1)
    has_union = P.has_unionid[m_sp] & (rng.random(len(m_sp)) < 0.95)
    sess, m_person, m_ts, m_name = _explode(rng, m_sp, m_sts, m_k, np.full(len(m_sp), PAGE))
    m_app, m_union = app_idx[sess], has_union[sess]
    m_order = np.full(len(sess), -1, dtype=np.int64)

    # ------------------------------------------- purchase funnels and research
    first_item = np.unique(orders.line_order, return_index=True)[1]
    mp_orders = np.flatnonzero(orders.channel == ppl.MINIPROGRAM)
    items = np.flatnonzero(orders.channel[orders.line_order] == ppl.MINIPROGRAM)
    io = orders.line_order[items]
    f_person = np.concatenate([orders.person[io], orders.person[io], orders.person[mp_orders]])
    f_ts = np.concatenate(
        [
            orders.ordered_at[io] - rng.integers(120, 3 * DAY, len(io)),
            orders.ordered_at[io] - rng.integers(30, 1200, len(io)),
            orders.ordered_at[mp_orders],
        ]
    )
    f_name = np.concatenate([np.full(len(io), VIEW), np.full(len(io), CART), np.full(len(mp_orders), PURCHASE)])
    f_sku = np.concatenate([orders.sku[items], orders.sku[items], np.full(len(mp_orders), -1)])
    f_order = np.concatenate([np.full(2 * len(io), -1), mp_orders])
    f_app = np.concatenate([orders.via_app[io], orders.via_app[io], orders.via_app[mp_orders]])
    other = np.flatnonzero(orders.channel != ppl.MINIPROGRAM)
    op = orders.person[other]
    r = rng.random(len(other))
    research_app = other[P.app[op] & (r < 0.3)]
    research_mp = other[~P.app[op] & P.mp1[op] & (r < 0.15)]
    res = np.concatenate([research_app, research_mp])
    f_person = np.concatenate([f_person, orders.person[res]])
    f_ts = np.concatenate([f_ts, orders.ordered_at[res] - rng.integers(3600, 10 * DAY, len(res))])
    f_name = np.concatenate([f_name, np.full(len(res), VIEW)])
    f_sku = np.concatenate([f_sku, orders.sku[first_item[res]]])
    f_order = np.concatenate([f_order, np.full(len(res), -1)])
    f_app = np.concatenate([f_app, np.r_[np.ones(len(research_app), bool), np.zeros(len(research_mp), bool)]])
    nf = len(f_person)
    f_logged = np.where(f_name == PURCHASE, True, P.is_member[f_person] & (rng.random(nf) < 0.65))
    f_logged |= f_order >= 0
    f_logged[f_app & (f_name != VIEW)] = True
    f_which = np.where((P.shared_device[f_person] >= 0) & (rng.random(nf) < 0.3), 2, 0)

    fa = f_app
    a_person = np.concatenate([a_person, f_person[fa]])
    a_ts = np.concatenate([a_ts, f_ts[fa]])
    a_name = np.concatenate([a_name, f_name[fa]])
    a_logged = np.concatenate([a_logged, f_logged[fa]])
    a_which = np.concatenate([a_which, f_which[fa]])
    a_order = np.concatenate([a_order, f_order[fa]])
    a_sku_f = f_sku[fa]
    fm = ~fa
    m_person = np.concatenate([m_person, f_person[fm]])
    m_ts = np.concatenate([m_ts, f_ts[fm]])
    m_name = np.concatenate([m_name, f_name[fm]])
    m_app = np.concatenate([m_app, np.ones(int(fm.sum()), dtype=np.int64)])
    m_union = np.concatenate([m_union, P.has_unionid[f_person[fm]]])
    m_order = np.concatenate([m_order, f_order[fm]])
    m_sku_f = f_sku[fm]

    app = _event_frame(
        ctx,
        rng,
        P,
        orders,
        cat,
        book,
        "app_events",
        a_person,
        a_ts,
        a_name,
        a_order,
        a_sku_f,
        dict(logged=a_logged, which=a_which),
    )
    mp = _event_frame(
        ctx,
        rng,
        P,
        orders,
        cat,
        book,
        "miniprogram_events",
        m_person,
        m_ts,
        m_name,
        m_order,
        m_sku_f,
        dict(app=m_app, union=m_union),
    )
    return app, mp


def _event_frame(ctx, rng, P, orders, cat, book, source, person, ts, name, order, sku_tail, extra):
    """Common columns: skus for product events, content ids, properties.
    The last len(sku_tail) rows are funnel / research events with known SKUs."""
    n = len(person)
    sku = np.full(n, -1, dtype=np.int64)
    sku[n - len(sku_tail) :] = sku_tail
    # keep events inside the window (funnels before the first days fall outside)
    start, end = ctx.cal.start_epoch, ctx.cal.start_epoch + ctx.cal.horizon * DAY
    keep = (ts >= start) & (ts < end)
    person, ts, name, order, sku = person[keep], ts[keep], name[keep], order[keep], sku[keep]
    extra = {k: v[keep] for k, v in extra.items()}
    n = len(person)
    day = (ts - start) // DAY
    idx = np.flatnonzero(np.isin(name, [VIEW, CART, FAV]) & (sku < 0))
    sku[idx] = cat.choose(rng, P.category_pref[person[idx]], P.spend[person[idx]], day[idx])
    content = np.where(np.isin(name, [CONTENT, SHARE]), np.minimum(rng.zipf(1.6, n), N_CONTENT) - 1, -1)
    arrays = dict(
        ts=ts,
        name=name,
        sku=sku,
        content=content,
        src=rng.integers(0, len(ref.TRAFFIC_SOURCES), n),
        dur=np.minimum(rng.exponential(40, n).astype(np.int64) + 1, 900),
        kw=rng.integers(0, len(ref.SEARCH_KEYWORDS), n),
        q=1 + (rng.random(n) < 0.15),
        alt=rng.integers(0, 3, n),
        ocode=np.where(order >= 0, orders.order_number[np.maximum(order, 0)], 0),
        opaid=np.where(order >= 0, orders.paid[np.maximum(order, 0)], 0),
        page=np.where(name == PAGE, 8 + rng.integers(0, len(ref.MINIPROGRAM_PAGES), n), name),
    )
    src = pick(ref.TRAFFIC_SOURCES, "src")
    props = (
        f"CASE name WHEN {VIEW} THEN '{{\"source\":\"' || {src} || '\",\"duration_s\":' || dur::VARCHAR || '}}' "
        f"WHEN {CONTENT} THEN '{{\"source\":\"' || {src} || '\",\"duration_s\":' || dur::VARCHAR || '}}' "
        f"WHEN {SEARCH} THEN '{{\"keyword\":\"' || {pick(ref.SEARCH_KEYWORDS, 'kw')} || '\"}}' "
        f"WHEN {CART} THEN '{{\"quantity\":' || q::VARCHAR || '}}' "
        f"WHEN {FAV} THEN '{{\"source\":\"' || {src} || '\"}}' "
        f"WHEN {SHARE} THEN '{{\"share_to\":\"' || {pick(SHARE_TO, 'alt')} || '\"}}' "
        f'WHEN {PURCHASE} THEN \'{{"order_id":"MP\' || ocode::VARCHAR || \'","amount":"\' || '
        f"{money('opaid')} || '\"}}' "
        f"WHEN {LOGIN} THEN '{{\"method\":\"' || {pick(LOGIN_METHODS, 'alt')} || '\"}}' "
        f"ELSE '{{\"source\":\"' || {src} || '\"}}' END"
    )
    exprs = {
        "event_name": pick(EVENT_NAMES, "name"),
        "sku_id": pick(cat.sku_id, "sku"),
        "content_id": "CASE WHEN content >= 0 THEN 'CT' || (10001 + content)::VARCHAR END",
        "properties": props,
    }
    if source == "app_events":
        dev, typ = device_strings(P, book, extra["which"], person)
        p = np.array(APP_TIME_FORMAT_P)
        arrays.update(
            ev=mix64(np.arange(n), K_APP_EVENT),
            device_id=dev,
            dtyp=typ,
            member_id=pick_or_null(book.member_id(), person, extra["logged"] & P.is_member[person]),
            fmt=rng.choice(3, size=n, p=p / p.sum()),
        )
        exprs.update(
            {
                "event_id": sql_event_uuid("ev"),
                "device_id": "device_id",
                "device_id_type": pick(DEVICE_TYPES, "dtyp"),
                "member_id": "member_id",
                "event_time": ts_mixed("ts", "fmt"),
            }
        )
    else:
        app = extra["app"]
        openid = np.where(app == 1, book.openid(1)[person], book.openid(2)[person])
        arrays.update(
            ev=mix64(np.arange(n), K_MP_EVENT),
            app=app,
            openid=openid,
            unionid=pick_or_null(book.unionid(), person, extra["union"]),
        )
        exprs.update(
            {
                "event_id": "'E' || ev::VARCHAR",
                "appid": f"{str_list(ctx.appids)}[app + 1]",
                "openid": "openid",
                "unionid": "unionid",
                "page": pick(PAGES, "page"),
                "event_time": ts_local("ts"),
            }
        )
    return Frame(source, arrays, exprs, person, np.zeros(n, dtype=np.int64), ts)
