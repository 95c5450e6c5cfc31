"""Latent personas and the people drawn from them: demographics, location,
channel adoption, purchase-process parameters and identifier codes.

People are generated chunk by chunk: every attribute is a numpy array over the people of one
chunk, held by :class:`Persons`. Draws come from per-block streams (streams.py) and identifiers
that must be unique across everyone (phones, e-mail numbers, member numbers) are keyed bijections
of the person's global number, so a person is the same in any chunk.
"""

from dataclasses import dataclass

import numpy as np

from . import reference as ref
from .frames import ALWAYS
from .seasonality import DAY
from .streams import permute

PHONE_SLOTS = 50_000_000  # phone bodies: person i has body permute(i), a second phone permute(PHONE_SLOTS + i)

CHANNELS = ["tmall", "jd", "douyin", "miniprogram", "pos"]
TMALL, JD, DOUYIN, MINIPROGRAM, POS = range(5)


@dataclass(frozen=True)
class Persona:
    name: str
    share: float
    member_p: float  # has a CRM membership
    app_p: float  # uses the brand app
    miniprogram_p: float  # uses the main mini-program
    official_account_p: float
    wecom_p: float  # added by a store guide on WeCom
    rate_mean: float  # mean purchase rate, orders per year (0: never buys)
    rate_shape: float  # gamma shape of the rate across people
    dropout_ab: tuple  # beta(a, b) of the dropout probability after a purchase
    spend_mean: float  # mean spend level (1 = median list price)
    coupon_p: float
    refund_p: float
    channel_mix: tuple  # tmall, jd, douyin, miniprogram, pos
    category_mix: tuple  # 护肤, 彩妆, 香水, 个护, 套装
    items_lambda: float  # extra items per order ~ Poisson
    session_rate: float  # app / mini-program browsing sessions per 30 days
    season_strength: float  # exponent on the seasonal multiplier
    age_mean: float
    age_sd: float
    female_share: float
    lead_p: float  # submitted an ad lead form
    early: bool = False  # acquired early (lapsed customers)


PERSONAS = [
    Persona(
        "skincare_enthusiast",
        share=0.18,
        member_p=0.75,
        app_p=0.45,
        miniprogram_p=0.60,
        official_account_p=0.55,
        wecom_p=0.30,
        rate_mean=4.0,
        rate_shape=2.5,
        dropout_ab=(2, 18),
        spend_mean=0.85,
        coupon_p=0.20,
        refund_p=0.04,
        channel_mix=(0.30, 0.08, 0.10, 0.27, 0.25),
        category_mix=(0.62, 0.10, 0.05, 0.13, 0.10),
        items_lambda=0.5,
        session_rate=0.22,
        season_strength=1.0,
        age_mean=32,
        age_sd=7,
        female_share=0.93,
        lead_p=0.08,
    ),
    Persona(
        "makeup_trend_follower",
        share=0.15,
        member_p=0.55,
        app_p=0.40,
        miniprogram_p=0.50,
        official_account_p=0.40,
        wecom_p=0.15,
        rate_mean=3.5,
        rate_shape=2.0,
        dropout_ab=(2, 12),
        spend_mean=0.70,
        coupon_p=0.30,
        refund_p=0.06,
        channel_mix=(0.22, 0.05, 0.38, 0.17, 0.18),
        category_mix=(0.15, 0.60, 0.10, 0.10, 0.05),
        items_lambda=0.45,
        session_rate=0.28,
        season_strength=1.1,
        age_mean=26,
        age_sd=5,
        female_share=0.90,
        lead_p=0.15,
    ),
    Persona(
        "price_sensitive_deal_hunter",
        share=0.17,
        member_p=0.40,
        app_p=0.25,
        miniprogram_p=0.35,
        official_account_p=0.45,
        wecom_p=0.10,
        rate_mean=3.0,
        rate_shape=1.5,
        dropout_ab=(2, 12),
        spend_mean=0.55,
        coupon_p=0.65,
        refund_p=0.07,
        channel_mix=(0.40, 0.25, 0.25, 0.06, 0.04),
        category_mix=(0.30, 0.25, 0.05, 0.30, 0.10),
        items_lambda=0.6,
        session_rate=0.15,
        season_strength=1.6,
        age_mean=30,
        age_sd=9,
        female_share=0.85,
        lead_p=0.12,
    ),
    Persona(
        "loyal_vip",
        share=0.05,
        member_p=0.98,
        app_p=0.65,
        miniprogram_p=0.80,
        official_account_p=0.75,
        wecom_p=0.75,
        rate_mean=10.0,
        rate_shape=3.0,
        dropout_ab=(1, 60),
        spend_mean=1.30,
        coupon_p=0.15,
        refund_p=0.02,
        channel_mix=(0.10, 0.03, 0.04, 0.35, 0.48),
        category_mix=(0.45, 0.20, 0.10, 0.05, 0.20),
        items_lambda=0.8,
        session_rate=0.35,
        season_strength=0.7,
        age_mean=38,
        age_sd=8,
        female_share=0.92,
        lead_p=0.03,
    ),
    Persona(
        "one_time_buyer",
        share=0.18,
        member_p=0.30,
        app_p=0.08,
        miniprogram_p=0.30,
        official_account_p=0.25,
        wecom_p=0.05,
        rate_mean=1.0,
        rate_shape=1.5,
        dropout_ab=(18, 2),
        spend_mean=0.75,
        coupon_p=0.30,
        refund_p=0.06,
        channel_mix=(0.35, 0.15, 0.25, 0.10, 0.15),
        category_mix=(0.35, 0.25, 0.10, 0.20, 0.10),
        items_lambda=0.3,
        session_rate=0.05,
        season_strength=1.2,
        age_mean=31,
        age_sd=10,
        female_share=0.80,
        lead_p=0.10,
    ),
    Persona(
        "lapsed_customer",
        share=0.12,
        member_p=0.60,
        app_p=0.25,
        miniprogram_p=0.45,
        official_account_p=0.40,
        wecom_p=0.12,
        rate_mean=3.0,
        rate_shape=2.0,
        dropout_ab=(6, 6),
        spend_mean=0.80,
        coupon_p=0.25,
        refund_p=0.05,
        channel_mix=(0.30, 0.12, 0.12, 0.20, 0.26),
        category_mix=(0.40, 0.25, 0.05, 0.20, 0.10),
        items_lambda=0.4,
        session_rate=0.12,
        season_strength=1.0,
        age_mean=34,
        age_sd=9,
        female_share=0.85,
        lead_p=0.05,
        early=True,
    ),
    Persona(
        "browser_never_buys",
        share=0.15,
        member_p=0.20,
        app_p=0.35,
        miniprogram_p=0.55,
        official_account_p=0.50,
        wecom_p=0.05,
        rate_mean=0.0,
        rate_shape=1.0,
        dropout_ab=(1, 1),
        spend_mean=0.80,
        coupon_p=0.0,
        refund_p=0.0,
        channel_mix=(0.25, 0.10, 0.25, 0.30, 0.10),
        category_mix=(0.35, 0.30, 0.10, 0.15, 0.10),
        items_lambda=0.0,
        session_rate=0.20,
        season_strength=1.0,
        age_mean=27,
        age_sd=8,
        female_share=0.85,
        lead_p=0.10,
    ),
]
PERSONA_NAMES = [p.name for p in PERSONAS]
BROWSER = PERSONA_NAMES.index("browser_never_buys")
VIP = PERSONA_NAMES.index("loyal_vip")
DEAL = PERSONA_NAMES.index("price_sensitive_deal_hunter")
SKINCARE = PERSONA_NAMES.index("skincare_enthusiast")


def persona_values(name: str) -> np.ndarray:
    """One attribute of every persona (e.g. `coupon_p`), as floats in PERSONAS order."""
    return np.array([getattr(p, name) for p in PERSONAS], dtype=float)


def sample_rows(draws, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a (n, k) probability matrix (draws: streams.RowDraws)."""
    cum = np.cumsum(probs, axis=1)
    u = draws.random() * cum[:, -1]
    return np.minimum((cum < u[:, None]).sum(axis=1), probs.shape[1] - 1)


def dirichlet_rows(draws, alpha: np.ndarray) -> np.ndarray:
    """One Dirichlet draw per row of a (n, k) matrix of concentrations."""
    g = draws.gamma(np.maximum(alpha, 1e-3))
    return g / g.sum(axis=1, keepdims=True)


class Persons:
    """Column arrays for the people of one chunk (length n each).

    idx: global person number (person_id P{idx+1:08d}); block: the block of random streams each
    belongs to; arrival_day: for people who arrive after --end, the day they arrive (days from the
    start, NaN for everyone else); since: the epoch second from which their rows exist (ALWAYS for
    people of the population at --end).
    """

    def __init__(self, idx: np.ndarray, block: np.ndarray, arrival_day: np.ndarray, start_epoch: int):
        self.n = len(idx)
        self.idx = np.asarray(idx, dtype=np.int64)
        self.block = np.asarray(block, dtype=np.int64)
        self.arrival_day = np.asarray(arrival_day, dtype=float)
        self.arrived = ~np.isnan(self.arrival_day)
        day = np.nan_to_num(self.arrival_day).astype(np.int64)
        self.since = np.where(self.arrived, start_epoch + day * DAY, ALWAYS)


def generate_persons(ctx, stores, idx, block, arrival_day) -> Persons:
    """The people idx (global numbers, with their blocks and arrival days), drawn from the
    `people` streams in a fixed order: persona, demographics, acquisition, purchase-process
    parameters, channels, contacts, memberships, devices and WeChat timings."""
    cal = ctx.cal
    P = Persons(idx, block, arrival_day, cal.start_epoch)
    draws = ctx.streams("people").rows(P.block)
    shares = persona_values("share")
    P.persona = draws.choice(len(PERSONAS), p=shares / shares.sum()).astype(np.int8)
    _demographics(draws, cal, P)
    _acquisition(draws, cal, P)
    _purchase_parameters(draws, P)
    _channel_adoption(draws, P, stores)
    _contacts(draws, ctx, P)
    _memberships(draws, cal, P)
    _devices(draws, P)
    _wechat_timings(draws, cal, P)
    return P


def _of_persona(P, name: str) -> np.ndarray:
    """A persona attribute for every person."""
    return persona_values(name)[P.persona]


def _demographics(draws, cal, P) -> None:
    """Gender, age (birth day, age at the end), city and tier, surname and given-name draws."""
    P.female = draws.random() < _of_persona(P, "female_share")
    age = np.clip(draws.normal(_of_persona(P, "age_mean"), _of_persona(P, "age_sd")), 18, 60)
    end_days = int(cal.end.astype(np.int64))
    P.birth_days = (end_days - age * 365.25 - draws.integers(0, 365)).astype(np.int64)
    P.age = ((end_days - P.birth_days) / 365.25).astype(np.int64)
    w = np.array([c[3] * ref.TIER_WEIGHT[c[2]] for c in ref.CITIES])
    P.city = draws.choice(len(ref.CITIES), p=w / w.sum()).astype(np.int16)
    P.tier = np.array([c[2] for c in ref.CITIES])[P.city]
    surname_w = np.array([s[1] for s in ref.SURNAMES])
    P.surname = draws.choice(len(ref.SURNAMES), p=surname_w / surname_w.sum())
    nf, nm = len(ref.GIVEN_FEMALE), len(ref.GIVEN_MALE)
    pool = np.where(P.female, nf, nm)
    P.given1 = (draws.random() * pool).astype(np.int64)
    P.given2 = np.where(draws.random() < 0.7, (draws.random() * pool).astype(np.int64), -1)


def _acquisition(draws, cal, P) -> None:
    """`acquired`: the first purchase or contact in days from the start; 35% are existing
    customers from the burn-in year, `early` personas come in the first third, people who arrive
    after --end come on their arrival day."""
    n = P.n
    H = cal.horizon
    clock = cal.clock([1.0])
    g0 = np.zeros(n, dtype=np.int64)
    existing = draws.random() < 0.35
    t_new = clock.uniform_between(draws, np.zeros(n), np.full(n, max(H - 3.0, 0.5)), g0)
    t_old = draws.uniform(cal.first_day, 0)
    early = _of_persona(P, "early") > 0
    t_early = draws.uniform(cal.first_day, 0.35 * H)
    t_arrival = np.nan_to_num(P.arrival_day) + draws.random()
    P.acquired = np.where(P.arrived, t_arrival, np.where(early, t_early, np.where(existing, t_old, t_new)))


def _purchase_parameters(draws, P) -> None:
    """BG/NBD-style parameters: purchase rate (orders a year, gamma, at most 60), dropout
    probability after each purchase (beta), spend level, engagement, category preferences."""
    rate_mean, rate_shape = _of_persona(P, "rate_mean"), _of_persona(P, "rate_shape")
    P.rate = np.where(rate_mean > 0, draws.gamma(rate_shape, rate_mean / rate_shape), 0.0)
    P.rate = np.minimum(P.rate, 60.0)
    a = np.array([p.dropout_ab[0] for p in PERSONAS], dtype=float)[P.persona]
    b = np.array([p.dropout_ab[1] for p in PERSONAS], dtype=float)[P.persona]
    P.dropout = np.where(rate_mean > 0, draws.beta(a, b), 0.0)
    P.spend = draws.gamma(4.0, _of_persona(P, "spend_mean") / 4.0)
    P.engagement = draws.gamma(1.5, 1 / 1.5)
    P.category_pref = dirichlet_rows(draws, persona_values("category_mix")[P.persona] * 8)


def _channel_adoption(draws, P, stores) -> None:
    """Home store (same city, else same province), membership, app, mini-programs, official
    account, WeCom, unionid, and the channel preference (rows of probabilities over CHANNELS)."""
    P.home_store = stores.pick_home_store(draws, P.city)
    P.is_member = draws.random() < _of_persona(P, "member_p")
    P.app = draws.random() < _of_persona(P, "app_p") * (1.15 - 0.1 * P.tier)
    P.mp1 = draws.random() < _of_persona(P, "miniprogram_p")
    P.mp2 = P.mp1 & (draws.random() < 0.3)
    P.oa = draws.random() < _of_persona(P, "official_account_p")
    P.wecom = (draws.random() < _of_persona(P, "wecom_p")) & (P.home_store >= 0)
    P.has_unionid = draws.random() < 0.9
    mix = persona_values("channel_mix")[P.persona].copy()
    mix[:, POS] *= np.where(P.home_store >= 0, 1.0, 0.03)
    mix[:, MINIPROGRAM] *= np.where(P.is_member, 1.0, 0.4)
    P.channel_pref = dirichlet_rows(draws, mix / mix.sum(axis=1, keepdims=True) * 6)


def _contacts(draws, ctx, P) -> None:
    """Phones (one unique mobile each, 5% a second one) and members' e-mails (word + word or
    digits @ domain, unique by a numeric part that is a bijection of the person number)."""
    P.phone1 = _phones(draws, P.idx)
    P.has_phone2 = draws.random() < 0.05
    phone2 = _phones(draws, PHONE_SLOTS + P.idx)
    P.phone2 = np.where(P.has_phone2, phone2, 0)
    P.has_email = P.is_member & (draws.random() < np.where(P.persona == VIP, 0.6, 0.4))
    dom_w = np.array([d[1] for d in ref.EMAIL_DOMAINS])
    P.email_domain = draws.choice(len(dom_w), p=dom_w / dom_w.sum())
    P.email_w1 = draws.integers(0, len(ref.EMAIL_WORDS))
    P.email_w2 = draws.integers(0, len(ref.EMAIL_WORDS))
    P.email_num = 10_000 + permute(P.idx, ctx.email_numbers, "email")


def _memberships(draws, cal, P) -> None:
    """Registration time (epoch seconds, not before 2016; not before the arrival day), member
    numbers (9 digits, a bijection of the person number), 2% duplicate memberships (10 digits),
    and the registration channel (a store only with a home store)."""
    n = P.n
    earliest = np.datetime64("2016-01-01").astype(np.int64) - cal.start_days
    back = draws.exponential(500)
    room = np.maximum(P.acquired - earliest, 0)
    back = np.where(back > room, draws.random() * room, back)
    reg_t = np.where(P.acquired < 0, P.acquired - back, P.acquired - draws.random() * 2)
    reg_t = np.where(P.arrived, np.maximum(reg_t, np.nan_to_num(P.arrival_day)), reg_t)
    day_start = cal.epoch_of_float(reg_t) - (cal.epoch_of_float(reg_t) % DAY)
    P.registered = day_start + draws.integers(8 * 3600, 22 * 3600)
    P.member_no = 100_000_000 + permute(P.idx, 900_000_000, "member")
    P.has_member2 = P.is_member & (draws.random() < 0.02)
    P.member2_no = np.zeros(n, dtype=np.int64)
    P.member2_no[P.has_member2] = 1_000_000_000 + permute(P.idx[P.has_member2], 999_999_999, "member2")
    ch_p = np.array([0.35, 0.30, 0.10, 0.10, 0.10, 0.05])
    P.register_channel = draws.choice(len(ch_p), p=ch_p)
    P.register_channel = np.where((P.register_channel == 0) & (P.home_store < 0), 1, P.register_channel)


def _devices(draws, P) -> None:
    """Each phone's advertising id type (oaid, idfa, android_id); 4% of app users have a second device."""
    ios_p = np.clip(0.28 + 0.08 * (P.tier <= 1) + 0.12 * (P.persona == VIP), 0, 1)
    ios = draws.random() < ios_p
    P.device_type = np.where(ios, 1, np.where(draws.random() < 0.85, 0, 2)).astype(np.int8)
    P.has_device2 = P.app & (draws.random() < 0.04)
    P.device2_type = np.where(draws.random() < 0.5, P.device_type, np.where(ios, 0, 1)).astype(np.int8)
    P.device_seen = P.app.copy()  # updated by ad leads / third-party tags


def _wechat_timings(draws, cal, P) -> None:
    """First use of the official account and the mini-program, and when the WeCom contact is
    added (epoch seconds; people who arrive after --end use nothing before their arrival day). A
    contact added after the day observed shows up on a later day."""
    base = np.maximum(P.acquired, cal.first_day)
    floor = np.where(P.arrived, np.nan_to_num(P.arrival_day), -np.inf)
    P.oa_at = cal.epoch_of_float(np.maximum(base - draws.exponential(40), floor))
    P.mp_at = cal.epoch_of_float(np.maximum(base - draws.exponential(20), floor))
    P.wecom_at = cal.epoch_of_float(base + draws.exponential(30))


def _phones(draws, slot: np.ndarray) -> np.ndarray:
    """Unique 11-digit mainland mobile numbers with real prefixes: the 8-digit body is a bijection
    of `slot` (so no two slots share a number); 13800138000, a placeholder, becomes 139..."""
    carriers = list(ref.MOBILE_PREFIXES.values())
    prefixes = np.concatenate([np.array(p) for _, p in carriers])
    weights = np.concatenate([np.full(len(p), s / len(p)) for s, p in carriers])
    pre = draws.choice(prefixes, p=weights / weights.sum()).astype(np.int64)
    phones = pre * 100_000_000 + permute(slot, 100_000_000, "phone")
    return np.where(phones == 13800138000, 13900138000, phones)
