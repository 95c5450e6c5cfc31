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
from .frames import Frame, GenerateError, rank_within
from .idcodes import DEVICE_TYPES, K_APP_EVENT, K_MP_EVENT, mix64, sql_event_uuid
from .identifiers import pick_or_null
from .purchases import dated_order_id_sql
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
SHARED_DEVICE_SHARE = 0.002  # shared family devices per app user (at least one per block of people)
EVENTS_PER_PERSON = 1 << 24  # event uid = person number * EVENTS_PER_PERSON + the person's event number


def _shared_devices(streams, P) -> None:
    """Shared family devices: in every block of people, about SHARED_DEVICE_SHARE per app user
    (at least one per block), each used by 3-10 of the block's app users. Sets P.shared_device
    (chunk-local device index per person, -1 none), P.shared_device_code (block * 64 + number,
    unique across blocks) and P.shared_device_type (0 oaid, 1 idfa) per device."""
    P.shared_device = np.full(P.n, -1, dtype=np.int64)
    codes, types = [], []
    blocks, first = np.unique(P.block, return_index=True)
    bounds = np.r_[first, P.n]
    for i, block in enumerate(blocks):
        generator = streams.block(int(block))
        users = bounds[i] + np.flatnonzero(P.app[bounds[i] : bounds[i + 1]])
        k = min(63, max(1, int(len(users) * SHARED_DEVICE_SHARE + generator.random())))
        sizes = generator.integers(3, 11, k)
        while sizes.sum() > len(users) and k > 0:
            k -= 1
            sizes = sizes[:k]
        who = generator.choice(users, int(sizes.sum()), replace=False)
        P.shared_device[who] = len(codes) + np.repeat(np.arange(k), sizes)
        codes += list(int(block) * 64 + np.arange(k))
        types += list(np.where(generator.random(k) < 0.7, 0, 1))
    P.shared_device_code = np.array(codes, dtype=np.int64)
    P.shared_device_type = np.array(types, dtype=np.int8)


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


def _sessions(streams, P, cal, users, rate):
    """Browsing sessions of `users` until the end of the simulated world (or their dropout, or
    about a year after a browser's first visit): (person, start epoch seconds, n events, the
    sessions' draws)."""
    H = cal.world_horizon
    draws = streams.rows(P.block[users])
    floor = np.where(P.arrived[users], np.nan_to_num(P.arrival_day[users]), 0)
    start = np.maximum(P.acquired[users] - 30, floor)
    end = np.where(
        P.rate[users] > 0,
        np.where(P.dropped[users], P.last_purchase[users] + draws.exponential(60), H),
        P.acquired[users] + draws.exponential(400),
    )
    end = np.clip(end, 0, H)
    span = np.maximum(end - start, 0)
    count = draws.poisson(rate * span / 30.0)
    person = np.repeat(users, count)
    sessions = draws.repeat(count)
    a, b = np.repeat(start, count), np.repeat(np.maximum(end, start + 1e-6), count)
    t = cal.clock([1.0]).uniform_between(sessions, a, b, np.zeros(len(person), dtype=np.int64))
    day = np.minimum(np.floor(t).astype(np.int64), H - 1)
    ts = cal.epoch(day, seconds_of_day(sessions, ONLINE_HOURS))
    return person, ts, 1 + np.minimum(sessions.poisson(2.2), 11), sessions


def _explode(sessions, person, ts, k, first_name):
    """Sessions -> events with increasing times and a funnel-like name mix."""
    sess = np.repeat(np.arange(len(person)), k)
    draws = sessions.repeat(k)
    pos = np.arange(len(sess)) - np.repeat(np.cumsum(k) - k, k)
    gaps = draws.exponential(45).astype(np.int64) + 2
    cs = np.cumsum(gaps)
    offset = cs - np.repeat(cs[np.cumsum(k) - k], k)
    p = SESSION_MIX / SESSION_MIX.sum()
    name = draws.choice(len(EVENT_NAMES), p=p)
    name = np.where(pos == 0, np.repeat(first_name, k), name)
    return sess, person[sess], ts[sess] + offset, name


def frames(ctx, P, orders, cat, book):
    """The app_events and miniprogram_events sources: browsing sessions of each channel's users
    (fewer per channel for people on both), purchase funnels of mini-program orders and research
    views before other orders (in the app or the mini-program)."""
    streams = ctx.streams("behaviour")
    cal = ctx.cal
    _shared_devices(streams, P)
    rate = ppl.persona_values("session_rate")[P.persona] * P.engagement
    on_both = P.app & P.mp1
    app = _app_sessions(streams, cal, P, rate, on_both)
    miniprogram = _miniprogram_sessions(streams, cal, P, rate, on_both)
    funnel = _order_events(streams, P, orders)
    in_app = funnel["in_app"]
    app = _appended(app, {key: funnel[key][in_app] for key in ("person", "ts", "name", "logged", "which", "order")})
    app["sku_tail"] = funnel["sku"][in_app]
    in_miniprogram = ~in_app
    miniprogram = _appended(
        miniprogram,
        {
            **{key: funnel[key][in_miniprogram] for key in ("person", "ts", "name")},
            "app": np.ones(int(in_miniprogram.sum()), dtype=np.int64),
            "union": P.has_unionid[funnel["person"][in_miniprogram]],
            "order": funnel["order"][in_miniprogram],
        },
    )
    miniprogram["sku_tail"] = funnel["sku"][in_miniprogram]
    app_frame = _event_frame(ctx, streams, P, orders, cat, book, "app_events", app, ("logged", "which"))
    miniprogram_frame = _event_frame(
        ctx, streams, P, orders, cat, book, "miniprogram_events", miniprogram, ("app", "union")
    )
    return app_frame, miniprogram_frame


def _appended(events: dict, more: dict) -> dict:
    """Every column of `events` with the same column of `more` after it."""
    return {key: np.concatenate([values, more[key]]) for key, values in events.items()}


def _app_sessions(streams, cal, P, rate, on_both) -> dict:
    """App browsing events: (person, ts, name, logged, which device slot, order -1) per event;
    members log in to 65% of sessions, shared and second devices are used now and then."""
    users = np.flatnonzero(P.app)
    person, start, events, sessions = _sessions(
        streams, P, cal, users, rate[users] * np.where(on_both[users], 0.6, 1.0)
    )
    logged = P.is_member[person] & (sessions.random() < 0.65)
    draw = sessions.random()
    shared = (P.shared_device[person] >= 0) & (draw < 0.5)
    which = np.where(shared, 2, np.where(P.has_device2[person] & (draw > 0.65), 1, 0))
    session, event_person, ts, name = _explode(sessions, person, start, events, np.where(logged, LOGIN, PAGE))
    order = np.full(len(session), -1, dtype=np.int64)
    return dict(person=event_person, ts=ts, name=name, logged=logged[session], which=which[session], order=order)


def _miniprogram_sessions(streams, cal, P, rate, on_both) -> dict:
    """Mini-program browsing events: (person, ts, name, app (1 main, 2 member centre), union
    (unionid shown), order -1) per event."""
    users = np.flatnonzero(P.mp1)
    person, start, events, sessions = _sessions(
        streams, P, cal, users, rate[users] * np.where(on_both[users], 0.6, 1.0)
    )
    app = np.where(P.mp2[person] & (sessions.random() < 0.25), 2, 1)
    union = P.has_unionid[person] & (sessions.random() < 0.95)
    session, event_person, ts, name = _explode(sessions, person, start, events, np.full(len(person), PAGE))
    order = np.full(len(session), -1, dtype=np.int64)
    return dict(person=event_person, ts=ts, name=name, app=app[session], union=union[session], order=order)


def _order_events(streams, P, orders) -> dict:
    """Events around orders: view_product and add_to_cart before each mini-program order line and
    the purchase itself; research views before 30% of other orders of app users (15% of
    mini-program-only users). Columns person, ts, name, sku, order (-1 but for purchases),
    in_app, logged, which."""
    first_line = np.unique(orders.line_order, return_index=True)[1]
    purchases = np.flatnonzero(orders.channel == ppl.MINIPROGRAM)
    lines = np.flatnonzero(orders.channel[orders.line_order] == ppl.MINIPROGRAM)
    line_order = orders.line_order[lines]
    line_draws = streams.rows(P.block[orders.person[line_order]])
    person = np.concatenate([orders.person[line_order], orders.person[line_order], orders.person[purchases]])
    ts = np.concatenate(
        [
            orders.ordered_at[line_order] - line_draws.integers(120, 3 * DAY),
            orders.ordered_at[line_order] - line_draws.integers(30, 1200),
            orders.ordered_at[purchases],
        ]
    )
    views, carts = np.full(len(line_order), VIEW), np.full(len(line_order), CART)
    name = np.concatenate([views, carts, np.full(len(purchases), PURCHASE)])
    sku = np.concatenate([orders.sku[lines], orders.sku[lines], np.full(len(purchases), -1)])
    order = np.concatenate([np.full(2 * len(line_order), -1), purchases])
    in_app = np.concatenate([orders.via_app[line_order], orders.via_app[line_order], orders.via_app[purchases]])
    others = np.flatnonzero(orders.channel != ppl.MINIPROGRAM)
    buyer = orders.person[others]
    draw = streams.rows(P.block[buyer]).random()
    research_app = others[P.app[buyer] & (draw < 0.3)]
    research_miniprogram = others[~P.app[buyer] & P.mp1[buyer] & (draw < 0.15)]
    research = np.concatenate([research_app, research_miniprogram])
    research_draws = streams.rows(P.block[orders.person[research]])
    person = np.concatenate([person, orders.person[research]])
    ts = np.concatenate([ts, orders.ordered_at[research] - research_draws.integers(3600, 10 * DAY)])
    name = np.concatenate([name, np.full(len(research), VIEW)])
    sku = np.concatenate([sku, orders.sku[first_line[research]]])
    order = np.concatenate([order, np.full(len(research), -1)])
    research_in_app = np.r_[np.ones(len(research_app), bool), np.zeros(len(research_miniprogram), bool)]
    in_app = np.concatenate([in_app, research_in_app])
    event_draws = streams.rows(P.block[person])
    logged = np.where(name == PURCHASE, True, P.is_member[person] & (event_draws.random() < 0.65))
    logged |= order >= 0
    logged[in_app & (name != VIEW)] = True
    which = np.where((P.shared_device[person] >= 0) & (event_draws.random() < 0.3), 2, 0)
    return dict(person=person, ts=ts, name=name, sku=sku, order=order, in_app=in_app, logged=logged, which=which)


def _event_frame(ctx, streams, P, orders, cat, book, source, events, extra_columns):
    """One events source from its events (person, ts, name, order, sku_tail and the
    extra_columns): events before the start are left out, events are put in person then time
    order (uid: person number * EVENTS_PER_PERSON + the person's event number), product events get
    SKUs (the last len(sku_tail) rows are funnel and research events with known SKUs), content
    events content ids."""
    n = len(events["person"])
    sku = np.full(n, -1, dtype=np.int64)
    sku[n - len(events["sku_tail"]) :] = events["sku_tail"]
    start = ctx.cal.start_epoch
    keep = np.flatnonzero(events["ts"] >= start)  # funnels before the first days fall outside
    keep = keep[np.lexsort((events["ts"][keep], events["person"][keep]))]
    person, ts, name, order = (events[key][keep] for key in ("person", "ts", "name", "order"))
    sku = sku[keep]
    extra = {key: events[key][keep] for key in extra_columns}
    number = rank_within(person)
    if len(number) and number.max() >= EVENTS_PER_PERSON:
        raise GenerateError(f"a person has more than {EVENTS_PER_PERSON} {source}")
    uid = P.idx[person] * EVENTS_PER_PERSON + number
    draws = streams.rows(P.block[person])
    n = len(person)
    day = (ts - start) // DAY
    idx = np.flatnonzero(np.isin(name, [VIEW, CART, FAV]) & (sku < 0))
    sku[idx] = cat.choose(draws.sub(idx), P.category_pref[person[idx]], P.spend[person[idx]], day[idx])
    content = np.where(np.isin(name, [CONTENT, SHARE]), np.minimum(draws.zipf(1.6), N_CONTENT) - 1, -1)
    purchase = order >= 0
    arrays = dict(
        ts=ts,
        name=name,
        sku=sku,
        content=content,
        src=draws.integers(0, len(ref.TRAFFIC_SOURCES)),
        dur=np.minimum(draws.exponential(40).astype(np.int64) + 1, 900),
        kw=draws.integers(0, len(ref.SEARCH_KEYWORDS)),
        q=1 + (draws.random() < 0.15),
        alt=draws.integers(0, 3),
        ocode=_of_order(orders.order_number, order, purchase),
        oymd=_of_order(orders.ymd, order, purchase),
        opaid=_of_order(orders.paid, order, purchase),
        page=np.where(name == PAGE, 8 + draws.integers(0, len(ref.MINIPROGRAM_PAGES)), name),
    )
    exprs = {
        "event_name": pick(EVENT_NAMES, "name"),
        "sku_id": pick(cat.sku_id, "sku"),
        "content_id": "CASE WHEN content >= 0 THEN 'CT' || (10001 + content)::VARCHAR END",
        "properties": _properties_sql(),
    }
    if source == "app_events":
        _app_columns(draws, P, book, person, uid, extra, arrays, exprs)
    else:
        _miniprogram_columns(ctx, book, person, uid, extra, arrays, exprs)
    return Frame(source, arrays, exprs, person, np.zeros(n, dtype=np.int64), ts, uid, ts)


def _of_order(values: np.ndarray, order: np.ndarray, purchase: np.ndarray) -> np.ndarray:
    """values[order] on purchase events, 0 elsewhere."""
    out = np.zeros(len(order), dtype=np.int64)
    out[purchase] = values[order[purchase]]
    return out


def _properties_sql() -> str:
    """The properties JSON of an event, by event name, as a DuckDB expression over the arrays."""
    src = pick(ref.TRAFFIC_SOURCES, "src")
    return (
        f"CASE name WHEN {VIEW} THEN '{{\"source\":\"' || {src} || '\",\"duration_s\":' || dur::VARCHAR || '}}' "
        f"WHEN {CONTENT} THEN '{{\"source\":\"' || {src} || '\",\"duration_s\":' || dur::VARCHAR || '}}' "
        f"WHEN {SEARCH} THEN '{{\"keyword\":\"' || {pick(ref.SEARCH_KEYWORDS, 'kw')} || '\"}}' "
        f"WHEN {CART} THEN '{{\"quantity\":' || q::VARCHAR || '}}' "
        f"WHEN {FAV} THEN '{{\"source\":\"' || {src} || '\"}}' "
        f"WHEN {SHARE} THEN '{{\"share_to\":\"' || {pick(SHARE_TO, 'alt')} || '\"}}' "
        f'WHEN {PURCHASE} THEN \'{{"order_id":"MP\' || {dated_order_id_sql("ocode", "oymd")} || \'","amount":"\' || '
        f"{money('opaid')} || '\"}}' "
        f"WHEN {LOGIN} THEN '{{\"method\":\"' || {pick(LOGIN_METHODS, 'alt')} || '\"}}' "
        f"ELSE '{{\"source\":\"' || {src} || '\"}}' END"
    )


def _app_columns(draws, P, book, person, uid, extra, arrays, exprs) -> None:
    """app_events' own columns: event uuid, device id and type, member id when logged in, and a
    time format per row (local, ISO +08:00, UTC Z)."""
    dev, typ = device_strings(P, book, extra["which"], person)
    p = np.array(APP_TIME_FORMAT_P)
    arrays.update(
        ev=mix64(uid, K_APP_EVENT),
        device_id=dev,
        dtyp=typ,
        member_id=pick_or_null(book.member_id(), person, extra["logged"] & P.is_member[person]),
        fmt=draws.choice(3, p=p / p.sum()),
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


def _miniprogram_columns(ctx, book, person, uid, extra, arrays, exprs) -> None:
    """miniprogram_events' own columns: event id, appid, openid of that mini-program, unionid, page."""
    app = extra["app"]
    openid = np.where(app == 1, book.openid(1)[person], book.openid(2)[person])
    arrays.update(
        ev=mix64(uid, K_MP_EVENT),
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
