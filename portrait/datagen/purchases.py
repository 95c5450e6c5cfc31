"""The repeat-buying process and the order sources.

Each buyer has a purchase rate (gamma across people) and, after every
purchase, a probability of silently dropping out (beta across people): a
BG/NBD-style process run in seasonal operational time, so that 618, 双11,
年货节 and 38 女王节 raise volume.  Orders are routed to tmall / jd / douyin /
miniprogram / POS by the person's channel preference; items follow category
preference and the person's spend level.
"""

from dataclasses import dataclass

import numpy as np

from . import people
from .frames import Frame, GenerateError, rank_within
from .idcodes import PLATFORMS, sql_masked_phone
from .identifiers import pick_or_null
from .people import DOUYIN, JD, MINIPROGRAM, POS, TMALL
from .seasonality import ONLINE_HOURS, STORE_HOURS, _month_dom, seconds_of_day
from .sqltext import money, pick, ts_local, ts_slash
from .streams import permute

STATUS = ["paid", "refunded", "cancelled"]
PAID, REFUNDED, CANCELLED = range(3)
COUPON_PREFIXES = ["MJ", "NEW", "S618", "D11", "QW38", "CNY", "VIP", "POS"]
COUPON_TIERS = [(1500, 200), (800, 100), (400, 50), (200, 30), (100, 15)]  # (min gross, value) CNY
MARKETPLACES = (TMALL, JD, DOUYIN)
NO_TIME = np.iinfo(np.int64).max
ORDERS_PER_PERSON = 1 << 13  # order uid = person * ORDERS_PER_PERSON + the person's order number
ORDER_CODES = 1 << 39  # order number suffixes: a bijection of the order uid below this
LINES_PER_ORDER = 8  # line uid = order uid * LINES_PER_ORDER + line number
# marketplace order numbers: base + days since 2000-01-01 * 10^12 + suffix (they grow day by day)
ORDER_NUMBER_BASE = {TMALL: 3_700_000_000_000_000_000, JD: 0, DOUYIN: 6_900_000_000_000_000_000}
DAY_STEP = 10**12
BUYER_CODE_RANGES = {TMALL: (1_000_000_000, 999_999_999_999), JD: (16**9, 16**10), DOUYIN: (10**15, 10**16)}


@dataclass
class Orders:
    """Every order and order line of the people of one chunk in the simulated world (up to the
    world horizon, past --end), in columns. Orders are sorted by person, then time; lines by order.
    Money is in cents (fen); times are epoch seconds of China local time.

    person (chunk-local), uid (person number * ORDERS_PER_PERSON + the person's order number),
    day (offset from the start), channel (people.CHANNELS index), ordered_at, store and terminal
    (-1 online), gross, discount, paid, coupon_prefix (COUPON_PREFIXES index, -1 none),
    coupon_value (CNY), status (STATUS index), order_number (marketplaces: the number; mini-program
    and store orders: the suffix after the date), ymd (YYYYMMDD), shows_member, phone (0: none
    shown), phone_masked, via_app (a mini-program order placed from the app), multiplier (the
    day's seasonal demand): one value per order. line_order (the order of each line), line_uid,
    sku, quantity, unit_price: one value per line.
    """

    count: int
    person: np.ndarray
    uid: np.ndarray
    day: np.ndarray
    channel: np.ndarray
    ordered_at: np.ndarray
    store: np.ndarray
    terminal: np.ndarray
    gross: np.ndarray
    discount: np.ndarray
    paid: np.ndarray
    coupon_prefix: np.ndarray
    coupon_value: np.ndarray
    status: np.ndarray
    order_number: np.ndarray
    ymd: np.ndarray
    shows_member: np.ndarray
    phone: np.ndarray
    phone_masked: np.ndarray
    via_app: np.ndarray
    line_order: np.ndarray
    line_uid: np.ndarray
    sku: np.ndarray
    quantity: np.ndarray
    unit_price: np.ndarray
    multiplier: np.ndarray


@dataclass
class _Lines:
    """Order lines: the order of each line, its SKU, quantity and unit price (cents); gross per order."""

    line_order: np.ndarray
    sku: np.ndarray
    quantity: np.ndarray
    unit_price: np.ndarray
    gross: np.ndarray


def simulate(ctx, persons, catalogue, stores) -> Orders:
    """Every order of every buyer of the chunk over the calendar and the simulated days after it
    (and a burn-in year before it), and on `persons` what depends on them: dropout, mini-program
    first use, marketplace buyer codes and the per-person summaries at --end. Draws from the
    `purchases` streams of the people's blocks in a fixed order, so a seed always gives the same
    orders."""
    streams = ctx.streams("purchases")
    calendar = ctx.cal
    person, time = _purchase_times(streams, calendar, persons)
    by_person_then_time = np.lexsort((time, person))
    person, time = person[by_person_then_time], time[by_person_then_time]
    count = len(person)
    number = rank_within(person)
    if count and number.max() >= ORDERS_PER_PERSON:
        raise GenerateError(f"a person has more than {ORDERS_PER_PERSON} orders: shorten --start..--end")
    uid = persons.idx[person] * ORDERS_PER_PERSON + number
    draws = streams.rows(persons.block[person])
    day = np.floor(time).astype(np.int64)
    multiplier = calendar.multiplier(day)
    channel = _channels(draws, persons, person, multiplier)
    ordered_at = _order_times(draws, calendar, channel, day)
    store, terminal = _stores_and_terminals(draws, persons, stores, person, day, channel)
    lines = _order_lines(draws, persons, catalogue, person, day, channel, multiplier)
    is_pos = channel == POS
    dates = calendar.start + day
    discount, coupon_prefix, coupon_value = _coupons(draws, persons, person, dates, multiplier, is_pos, lines)
    status = _statuses(draws, persons, person, channel)
    order_number, ymd = _order_numbers(dates, channel, uid)
    shown = _identifiers_shown(streams, draws, persons, person, channel)
    _record_buyer_accounts(persons, person, channel, ordered_at)
    paid = lines.gross - discount
    orders = Orders(
        count=count,
        person=person,
        uid=uid,
        day=day,
        channel=channel,
        ordered_at=ordered_at,
        store=store,
        terminal=terminal,
        gross=lines.gross,
        discount=discount,
        paid=paid,
        coupon_prefix=coupon_prefix,
        coupon_value=coupon_value,
        status=status,
        order_number=order_number,
        ymd=ymd,
        **shown,
        line_order=lines.line_order,
        line_uid=uid[lines.line_order] * LINES_PER_ORDER + rank_within(lines.line_order),
        sku=lines.sku,
        quantity=lines.quantity,
        unit_price=lines.unit_price,
        multiplier=multiplier,
    )
    record_person_summaries(persons, orders, calendar.end_epoch, "_end")
    return orders


def _purchase_times(streams, calendar, persons) -> tuple[np.ndarray, np.ndarray]:
    """(person, time in days from the start) of every purchase inside the simulated world: the
    first at acquisition, then gaps of exponential operational time at the person's rate, each
    purchase followed by a silent dropout with the person's probability (vectorised over buyers,
    one step per purchase). Sets persons.dropped, last_purchase and dropout_day."""
    clock = calendar.clock([persona.season_strength for persona in people.PERSONAS])
    horizon = calendar.world_horizon
    buyers = np.flatnonzero(persons.rate > 0)
    block = persons.block[buyers]
    persona = persons.persona[buyers].astype(np.int64)
    time = persons.acquired[buyers].copy()
    operational_time = clock.forward(time, persona)
    daily_rate = persons.rate[buyers] / 365.0
    purchasers, purchase_times = [buyers], [time.copy()]
    persons.dropped = np.zeros(persons.n, dtype=bool)
    persons.last_purchase = np.full(persons.n, np.nan)
    persons.last_purchase[buyers] = time
    active = np.arange(len(buyers))
    while len(active):
        drops_out = streams.draw(block[active], "random") < persons.dropout[buyers[active]]
        persons.dropped[buyers[active[drops_out]]] = True
        active = active[~drops_out]
        operational_time[active] += streams.draw(block[active], "exponential") / daily_rate[active]
        next_time = clock.inverse(operational_time[active], persona[active])
        inside = next_time < horizon
        active = active[inside]
        purchasers.append(buyers[active])
        purchase_times.append(next_time[inside])
        persons.last_purchase[buyers[active]] = next_time[inside]
    person = np.concatenate(purchasers)
    time = np.concatenate(purchase_times)
    in_calendar = time >= 0
    persons.dropout_day = np.where(persons.dropped, persons.last_purchase, np.nan)
    return person[in_calendar], time[in_calendar]


def _channels(draws, persons, person, multiplier) -> np.ndarray:
    """Each order's channel from the person's channel preference; on big days (multiplier > 2)
    60% of store orders move online."""
    preference = persons.channel_pref[person]
    channel = people.sample_rows(draws, preference)
    moves_online = (channel == POS) & (multiplier > 2.0) & (draws.random() < 0.6)
    channel[moves_online] = people.sample_rows(draws.sub(moves_online), preference[moves_online][:, :POS])
    return channel


def _order_times(draws, calendar, channel, day) -> np.ndarray:
    """Epoch seconds of each order: store or online hours, and a midnight rush for a quarter of
    online orders on 618 and 双11."""
    seconds = np.where(channel == POS, seconds_of_day(draws, STORE_HOURS), seconds_of_day(draws, ONLINE_HOURS))
    rush = (channel != POS) & calendar.promo_day(day) & (draws.random() < 0.25)
    seconds[rush] = draws.sub(rush).integers(0, 3600)
    return calendar.epoch(day, seconds)


def _stores_and_terminals(draws, persons, stores, person, day, channel) -> tuple[np.ndarray, np.ndarray]:
    """(store, till) of each order, -1 online. Store orders go to the home store (88%) or another
    store open that day; 60% of WeCom-guided mini-program orders are credited to the home store."""
    count = len(person)
    store = np.full(count, -1, dtype=np.int64)
    is_pos = channel == POS
    home = persons.home_store[person]
    other = draws.integers(0, stores.n)
    at_home = (home[is_pos] >= 0) & (draws.sub(is_pos).random() < 0.88)
    store[is_pos] = np.where(at_home, home[is_pos], other[is_pos])
    not_open = is_pos & (stores.opened[np.maximum(store, 0)] > day)
    store[not_open] = stores.fallback[store[not_open]]
    guided = (channel == MINIPROGRAM) & persons.wecom[person] & (home >= 0) & (draws.random() < 0.6)
    store[guided] = home[guided]
    terminal = np.where(is_pos, (draws.random() * stores.terminals[np.maximum(store, 0)]).astype(int), -1)
    return store, terminal


def _order_lines(draws, persons, catalogue, person, day, channel, multiplier) -> _Lines:
    """1-4 lines per order (more on big days), SKUs by category preference and spend level, one
    line per (order, SKU); 15% off on big marketplace days, 10% off in Douyin live rooms; list
    prices of the order's day."""
    count = len(person)
    items_mean = people.persona_values("items_lambda")[persons.persona[person]] * np.where(multiplier > 1.8, 1.3, 1.0)
    items = 1 + np.minimum(draws.poisson(items_mean), 3)
    line_order = np.repeat(np.arange(count), items)
    buyer = person[line_order]
    line_draws = draws.repeat(items)
    sku = catalogue.choose(line_draws, persons.category_pref[buyer], persons.spend[buyer], day[line_order])
    first_of_pair = np.unique(line_order * catalogue.n + sku, return_index=True)[1]
    line_order, sku = line_order[first_of_pair], sku[first_of_pair]  # sorted by order
    line_draws = line_draws.sub(first_of_pair)
    deal_hunter = persons.persona[person[line_order]] == people.DEAL
    quantity = 1 + (line_draws.random() < np.where(deal_hunter, 0.22, 0.12)) + (line_draws.random() < 0.04)
    price_factor = np.ones(len(sku))
    line_channel = channel[line_order]
    promotion = (line_channel <= DOUYIN) & (multiplier[line_order] > 1.8) & (line_draws.random() < 0.7)
    price_factor[promotion] = 0.85
    live_room = (line_channel == DOUYIN) & ~promotion & (line_draws.random() < 0.3)
    price_factor[live_room] = 0.9
    list_price = catalogue.price_on(sku, day[line_order])
    unit_price = np.round(list_price * price_factor / 100).astype(np.int64) * 100
    gross = np.bincount(line_order, weights=quantity * unit_price, minlength=count).astype(np.int64)
    return _Lines(line_order, sku, quantity, unit_price, gross)


def _coupons(draws, persons, person, dates, multiplier, is_pos, lines) -> tuple:
    """(discount in cents, coupon prefix index or -1, coupon value in CNY) per order: a coupon at
    the persona's rate (x1.5 on promotion days, x0.5 in store), worth the highest tier the gross
    reaches, at most the gross less 1 CNY."""
    count = len(person)
    rate = (
        people.persona_values("coupon_p")[persons.persona[person]]
        * np.where(multiplier > 1.5, 1.5, 1.0)
        * np.where(is_pos, 0.5, 1.0)
    )
    uses_coupon = draws.random() < np.minimum(rate, 0.95)
    value = np.zeros(count, dtype=np.int64)
    for minimum_gross, tier_value in reversed(COUPON_TIERS):
        value[lines.gross >= minimum_gross * 100] = tier_value
    uses_coupon &= value > 0
    value = np.where(uses_coupon, value, 0)
    discount = np.minimum(value * 100, np.maximum(lines.gross - 100, 0))
    prefix = _coupon_prefixes(draws, persons, person, dates, is_pos)
    return discount, np.where(uses_coupon, prefix, -1), value


def _coupon_prefixes(draws, persons, person, dates, is_pos) -> np.ndarray:
    """The COUPON_PREFIXES index of each order's coupon campaign: the season's (618, 双11, 38, CNY;
    MJ otherwise), NEW on a person's first order, VIP for 30% of VIP orders, POS in store."""
    month, day_of_month = _month_dom(dates)
    prefix = np.zeros(len(person), dtype=np.int64)  # MJ (满减)
    prefix[((month == 5) & (day_of_month >= 25)) | ((month == 6) & (day_of_month <= 20))] = 2
    prefix[((month == 10) & (day_of_month >= 20)) | ((month == 11) & (day_of_month <= 12))] = 3
    prefix[(month == 3) & (day_of_month <= 8)] = 4
    prefix[(month == 1) | ((month == 2) & (day_of_month <= 10))] = 5
    prefix[np.r_[True, person[1:] != person[:-1]] if len(person) else np.zeros(0, bool)] = 1  # first orders
    prefix[(persons.persona[person] == people.VIP) & (draws.random() < 0.3)] = 6
    prefix[is_pos] = 7
    return prefix


def _statuses(draws, persons, person, channel) -> np.ndarray:
    """STATUS index per order: refunded at the persona's rate (x1.5 on Douyin, x0.4 in store),
    cancelled 2% online and 0.3% in store, else paid."""
    is_pos = channel == POS
    refund_rate = people.persona_values("refund_p")[persons.persona[person]] * np.select(
        [channel == DOUYIN, is_pos], [1.5, 0.4], 1.0
    )
    draw = draws.random()
    cancelled = draw > 1 - np.where(is_pos, 0.003, 0.02)
    return np.where(draw < refund_rate, REFUNDED, np.where(cancelled, CANCELLED, PAID))


def _order_numbers(dates, channel, uid) -> tuple[np.ndarray, np.ndarray]:
    """(order number, YYYYMMDD) per order. The suffix is a bijection of the order uid (12 digits
    at most), so numbers are unique without a table of all orders. Marketplaces: base + days since
    2000 * 10^12 + suffix (numbers grow day by day); mini-program and store orders are written as
    the date followed by the 12-digit suffix (see order_id_sql)."""
    month, day_of_month = _month_dom(dates)
    year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
    ymd = year * 10000 + month * 100 + day_of_month
    suffix = permute(uid, ORDER_CODES, "order-number")
    days_2000 = (dates - np.datetime64("2000-01-01")).astype(np.int64)
    number = suffix.copy()
    for marketplace, base in ORDER_NUMBER_BASE.items():
        on = channel == marketplace
        number[on] = base + days_2000[on] * DAY_STEP + suffix[on]
    return number, ymd


def dated_order_id_sql(code: str, ymd: str) -> str:
    """SQL of a dated order number: YYYYMMDD followed by the 12-digit suffix."""
    return f"{ymd}::VARCHAR || lpad({code}::VARCHAR, 12, '0')"


def order_id_sql(channel: str, code: str, ymd: str) -> str:
    """SQL of an order id: marketplaces the number, mini-program 'MP' + date + suffix, store
    orders date + suffix."""
    dated = dated_order_id_sql(code, ymd)
    return (
        f"CASE WHEN {channel} = {MINIPROGRAM} THEN 'MP' || {dated} "
        f"WHEN {channel} = {POS} THEN {dated} ELSE {code}::VARCHAR END"
    )


def _identifiers_shown(streams, draws, persons, person, channel) -> dict[str, np.ndarray]:
    """What each order shows of its buyer: shows_member (mini-program 97% and store 90% of
    members; marketplace members who bound their membership), phone (the real number, sometimes
    the second one; marketplaces show a masked one), phone_masked, via_app."""
    is_pos = channel == POS
    is_member = persons.is_member[person]
    binding_draw = streams.draw(persons.block, "random")  # marketplace membership binding, one draw per person
    binding_rate = np.select([channel == TMALL, channel == JD, channel == DOUYIN], [0.35, 0.2, 0.1], 0.0)
    shows_member = np.select(
        [channel == MINIPROGRAM, is_pos],
        [is_member & (draws.random() < 0.97), is_member & (draws.random() < 0.9)],
        is_member & (binding_draw[person] < binding_rate),
    )
    uses_second_phone = persons.has_phone2[person] & (draws.random() < 0.3)
    real_phone = np.where(uses_second_phone, persons.phone2[person], persons.phone1[person])
    draw = draws.random()
    phone_rate = np.select([channel == MINIPROGRAM, is_pos], [0.95, np.where(is_member, 0.5, 0.25)], 0.0)
    masked_rate = np.select([channel == TMALL, channel == JD, channel == DOUYIN], [0.9, 0.85, 0.7], 0.0)
    phone = np.where(draw < phone_rate, real_phone, np.where(draw < masked_rate, persons.phone1[person], 0))
    via_app = (channel == MINIPROGRAM) & persons.app[person] & is_member & (draws.random() < 0.35)
    return {
        "shows_member": shows_member,
        "phone": phone,
        "phone_masked": (channel <= DOUYIN) & (phone > 0),
        "via_app": via_app,
    }


def _record_buyer_accounts(persons, person, channel, ordered_at) -> None:
    """Mini-program buyers use the main mini-program (persons.mp1, first used 10 minutes before
    their first order at the latest); marketplace buyers get a buyer code per platform
    (persons.buyer_code, shape (3, people), 0: none; a bijection of the person number)."""
    miniprogram_orders = np.flatnonzero(channel == MINIPROGRAM)
    first_order = np.full(persons.n, NO_TIME)
    np.minimum.at(first_order, person[miniprogram_orders], ordered_at[miniprogram_orders])
    ordered = first_order < NO_TIME
    earlier = ordered & (~persons.mp1 | (persons.mp_at > first_order))
    persons.mp_at = np.where(earlier, first_order - 600, persons.mp_at)
    persons.mp1 |= ordered
    persons.buyer_code = np.zeros((3, persons.n), dtype=np.int64)
    for marketplace in MARKETPLACES:
        bought = np.zeros(persons.n, dtype=bool)
        bought[person[channel == marketplace]] = True
        low, high = BUYER_CODE_RANGES[marketplace]
        code = permute(persons.idx[bought], high - low, f"buyer-{marketplace}")
        persons.buyer_code[marketplace, bought] = low + code


def record_person_summaries(persons, orders, until_epoch: int, suffix: str = "") -> None:
    """Per person, from the orders placed up to until_epoch: n_orders, total_paid (cents, paid
    orders), first_order_ts and last_order_ts (epoch seconds, -1 without orders), as attributes
    named with `suffix` (``_end``: at --end, what CRM levels and VIP segments use)."""
    seen = orders.ordered_at <= until_epoch
    person = orders.person[seen]
    ordered_at = orders.ordered_at[seen]
    is_paid = orders.status[seen] == PAID
    paid = orders.paid[seen]
    setattr(persons, "n_orders" + suffix, np.bincount(person, minlength=persons.n))
    total = np.bincount(person[is_paid], weights=paid[is_paid], minlength=persons.n).astype(np.int64)
    setattr(persons, "total_paid" + suffix, total)
    first = np.full(persons.n, NO_TIME)
    last = np.full(persons.n, -1, dtype=np.int64)
    np.minimum.at(first, person, ordered_at)
    np.maximum.at(last, person, ordered_at)
    setattr(persons, "first_order_ts" + suffix, np.where(first < NO_TIME, first, -1))
    setattr(persons, "last_order_ts" + suffix, last)


# ------------------------------------------------------------------ frames
def ecommerce_frames(ctx, P, orders, cat, book):
    """The ecommerce_orders and ecommerce_order_items sources (online orders, one file per platform)."""
    online = np.flatnonzero(orders.channel != POS)
    person = orders.person[online]
    ch = orders.channel[online]
    buyer = np.empty(len(online), dtype=object)
    for c in range(3):
        m = ch == c
        buyer[m] = book.buyer_id(c)[person[m]]
    m = ch == MINIPROGRAM
    buyer[m] = book.openid(1)[person[m]]  # mini-program buyer_id is the openid
    arrays = dict(
        ch=ch,
        code=orders.order_number[online],
        ymd=orders.ymd[online],
        ts=orders.ordered_at[online],
        status=orders.status[online],
        paid=orders.paid[online],
        disc=orders.discount[online],
        cpfx=orders.coupon_prefix[online],
        cval=orders.coupon_value[online],
        store=orders.store[online],
        member_id=pick_or_null(book.member_id(), person, orders.shows_member[online]),
        phone=orders.phone[online],
        masked=orders.phone_masked[online],
        buyer_id=buyer,
    )
    exprs = {
        "platform": pick(PLATFORMS, "ch"),
        "order_id": order_id_sql("ch", "code", "ymd"),
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
    ordered_at = orders.ordered_at[online]
    order_frame = Frame("ecommerce_orders", arrays, exprs, person, ch, ordered_at, orders.uid[online], ordered_at)

    # items: orders.line_order indexes the order rows; lines keep their order
    sel = orders.channel[orders.line_order] != POS
    io = orders.line_order[sel]
    arrays = dict(
        ch=orders.channel[io],
        code=orders.order_number[io],
        ymd=orders.ymd[io],
        sku=orders.sku[sel],
        qty=orders.quantity[sel],
        unit=orders.unit_price[sel],
    )
    exprs = {
        "platform": pick(PLATFORMS, "ch"),
        "order_id": order_id_sql("ch", "code", "ymd"),
        "sku_id": pick(cat.sku_id, "sku"),
        "quantity": "qty::VARCHAR",
        "unit_price": money("unit"),
    }
    uid = orders.line_uid[sel]
    at = orders.ordered_at[io]
    items = Frame("ecommerce_order_items", arrays, exprs, orders.person[io], orders.channel[io], at, uid, at)
    return order_frame, items


def pos_frames(ctx, P, orders, cat, stores, book):
    """The pos_orders and pos_order_items sources (store tills; older tills write slashed dates)."""
    rows = np.flatnonzero(orders.channel == POS)
    person = orders.person[rows]
    store = orders.store[rows]
    arrays = dict(
        store=store,
        ch=orders.channel[rows],
        code=orders.order_number[rows],
        ymd=orders.ymd[rows],
        ts=orders.ordered_at[rows],
        status=orders.status[rows],
        paid=orders.paid[rows],
        disc=orders.discount[rows],
        member_id=pick_or_null(book.member_id(), person, orders.shows_member[rows]),
        phone=orders.phone[rows],
        term=orders.terminal[rows],
        slash=stores.slash_time_format[store],
    )
    exprs = {
        "store_id": "'ST' || (1001 + store)::VARCHAR",
        "order_id": order_id_sql("ch", "code", "ymd"),
        "member_id": "member_id",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "terminal_id": "'ST' || (1001 + store)::VARCHAR || '-T' || lpad((term + 1)::VARCHAR, 2, '0')",
        "order_time": f"CASE WHEN slash THEN {ts_slash('ts')} ELSE {ts_local('ts')} END",
        "status": pick(STATUS, "status"),
        "paid_amount": money("paid"),
        "discount_amount": money("disc"),
        "_export_batch": "'pos_' || strftime(make_timestamp(ts * 1000000), '%Y%m')",
    }
    ordered_at = orders.ordered_at[rows]
    zeros = np.zeros(len(rows), dtype=np.int64)
    order_frame = Frame("pos_orders", arrays, exprs, person, zeros, ordered_at, orders.uid[rows], ordered_at)
    sel = orders.channel[orders.line_order] == POS
    io = orders.line_order[sel]
    arrays = dict(
        store=orders.store[io],
        ch=orders.channel[io],
        code=orders.order_number[io],
        ymd=orders.ymd[io],
        sku=orders.sku[sel],
        qty=orders.quantity[sel],
        unit=orders.unit_price[sel],
    )
    exprs = {
        "store_id": "'ST' || (1001 + store)::VARCHAR",
        "order_id": order_id_sql("ch", "code", "ymd"),
        "sku_id": pick(cat.sku_id, "sku"),
        "quantity": "qty::VARCHAR",
        "unit_price": money("unit"),
    }
    uid = orders.line_uid[sel]
    zeros = np.zeros(len(io), dtype=np.int64)
    at = orders.ordered_at[io]
    items = Frame("pos_order_items", arrays, exprs, orders.person[io], zeros, at, uid, at)
    return order_frame, items
