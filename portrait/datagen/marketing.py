"""Marketing sources: ad leads, consents, campaign events, third-party tags."""

import numpy as np

from . import people as ppl
from .frames import Frame, GenerateError
from .idcodes import DEVICE_TYPES
from .identifiers import pick_or_null
from .seasonality import DAY, ONLINE_HOURS, seconds_of_day
from .sqltext import money, pick, str_list, ts_local, ts_mixed
from .streams import permute

NEVER = np.iinfo(np.int64).max
LEAD_PLATFORMS = ["ocean_engine", "tencent_ads"]
CONSENT_CHANNELS = ["sms", "email", "wecom", "ads"]
ID_TYPES = ["phone", "email", "external_userid", "oaid", "idfa", "android_id", "openid"]
PHONE, EMAIL, EXTERNAL, OAID, IDFA, ANDROID, OPENID = range(7)

# (month, day, suffix, segment, channel, share of the segment targeted)
CAMPAIGNS = [
    (1, 10, "CNY", "SEG_ALL_FOLLOWERS", "wechat_oa", 0.25),
    (3, 1, "QW38", "SEG_FEMALE_18_35", "sms", 0.3),
    (4, 20, "NEWSKU", "SEG_SKINCARE_FANS", "wechat_oa", 0.5),
    (6, 1, "618", "SEG_ACTIVE_180D", "sms", 0.35),
    (6, 10, "618VIP", "SEG_VIP", "wecom", 1.0),
    (9, 15, "WINBACK", "SEG_LAPSED_180D", "sms", 0.4),
    (10, 25, "D11", "SEG_DEAL_SEEKERS", "sms", 0.4),
    (11, 1, "D11VIP", "SEG_VIP", "wecom", 1.0),
]
CAMPAIGN_CHANNELS = ["sms", "wecom", "wechat_oa"]
# per channel: delivered | sent, opened | delivered (0: not tracked), clicked | opened-or-delivered
FUNNEL = {"sms": (0.96, 0.0, 0.07), "wecom": (0.99, 0.55, 0.30), "wechat_oa": (0.97, 0.22, 0.30)}
CAMPAIGN_TIME_FORMAT = {"sms": 2, "wecom": 0, "wechat_oa": 1}  # UTC Z / local / ISO +08:00
# assigned: every targeted person, treatment and holdout, at the campaign's start (the denominators)
STAGES = ["assigned", "sent", "delivered", "opened", "clicked", "converted"]
CAMPAIGNS_MAX = 128  # campaign uid = person number * 1024 + campaign * 8 + stage
VARIANTS = ["A", "B", "holdout"]

TAG_PROVIDERS = ["dmp_alpha", "adx_beta"]  # keyed by phone / by oaid
AGE_RANGES = ["18-24", "25-29", "30-34", "35-39", "40-49", "50+"]
CONSUMPTION = ["low", "medium", "high", "very_high"]
INTEREST = ["low", "medium", "high"]
TAG_CODES = ["age_range", "consumption_level", "interest_beauty"]


def frames(ctx, P, orders, book):
    """The ad_leads, consents, campaign_events and third_party_tags sources of one chunk."""
    streams = ctx.streams("marketing")
    leads = _leads(ctx, streams, P, book)
    consents = _consents(ctx, streams, P, book)
    campaigns = _campaigns(ctx, streams, P, orders, book)
    tags = _tags(ctx, streams, P, book)
    return leads, consents, campaigns, tags


def _leads(ctx, streams, P, book):
    """Ad lead forms: before acquisition (or anywhere in the window for the earliest customers;
    on their arrival day for people who arrive after --end), 15% of people with a lead leave a
    second one. Sets P.lead_phone, P.lead_at and P.lead_device_at."""
    cal = ctx.cal
    H = cal.horizon
    has = streams.rows(P.block).random() < ppl.persona_values("lead_p")[P.persona]
    who = np.flatnonzero(has)
    again = who[streams.rows(P.block[who]).random() < 0.15]
    person = np.concatenate([who, again])
    number = np.r_[np.zeros(len(who), np.int64), np.ones(len(again), np.int64)]
    n = len(person)
    draws = streams.rows(P.block[person])
    acq = P.acquired[person]
    t = np.where(acq > 30, acq - draws.uniform(1, 45), draws.uniform(0, H - 1))
    arrived = P.arrived[person]
    t = np.where(arrived, np.maximum(t, np.nan_to_num(P.arrival_day[person])), np.clip(t, 0, H - 1))
    ts = cal.epoch(np.floor(t).astype(np.int64), seconds_of_day(draws, ONLINE_HOURS))
    plat = np.where(draws.random() < 0.6 + 0.2 * (P.persona[person] == 1), 0, 1)
    u = draws.random()
    phone = np.where(u < 0.05, 0, np.where(P.has_phone2[person] & (u > 0.5), P.phone2[person], P.phone1[person]))
    has_dev = draws.random() < 0.7
    P.lead_device_at = np.full(P.n, NEVER)
    np.minimum.at(P.lead_device_at, person[has_dev], ts[has_dev])
    P.device_seen[person[has_dev]] = True
    P.lead_phone = np.zeros(P.n, dtype=bool)
    P.lead_phone[person[phone == P.phone1[person]]] = True
    P.lead_at = np.full(P.n, NEVER)
    np.minimum.at(P.lead_at, person, ts)
    uid = P.idx[person] * 2 + number
    arrays = dict(
        plat=plat,
        code=10**15 + permute(uid, 9 * 10**15, "lead"),
        phone=phone,
        has_dev=has_dev,
        device_id=pick_or_null(book.device(0), person, has_dev),
        dtyp=P.device_type[person],
        camp=draws.integers(0, 30),
        ts=ts,
    )
    exprs = {
        "platform": pick(LEAD_PLATFORMS, "plat"),
        "lead_id": "CASE plat WHEN 0 THEN code::VARCHAR ELSE 'TX' || code::VARCHAR END",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "device_id": "device_id",
        "device_id_type": f"CASE WHEN has_dev THEN {pick(DEVICE_TYPES, 'dtyp')} END",
        "campaign_id": "CASE plat WHEN 0 THEN 'OE' || (1780000000 + camp * 7919)::VARCHAR "
        "ELSE 'TX' || (50000000 + camp * 613)::VARCHAR END",
        "created_at": ts_local("ts"),
    }
    return Frame("ad_leads", arrays, exprs, person, np.zeros(n, dtype=np.int64), ts, uid, ts)


def _consents(ctx, streams, P, book):
    """Consent log: an initial granted/revoked row when a channel is opened (membership, lead,
    e-mail, WeCom contact, app), and for some a later revocation (within --end, or within 30 days
    for consents given near or after it). Sets P.sms_from / sms_until / wecom_until (epoch seconds,
    NEVER when none)."""
    end = ctx.cal.end_epoch
    parts = []

    def add(person, id_type, channel, at, grant_p, later_revoke_p, kind):
        k = len(person)
        draws = streams.rows(P.block[person])
        granted = draws.random() < grant_p
        later = granted & (draws.random() < later_revoke_p)
        revoke_at = at + (draws.random() * np.maximum(end - at, 30 * DAY)).astype(np.int64)
        uid = P.idx[person] * 16 + kind * 2
        parts.append(
            dict(person=person, idt=id_type, ch=np.full(k, channel), status=np.where(granted, 0, 1), ts=at, uid=uid)
        )
        parts.append(
            dict(
                person=person[later],
                idt=id_type[later],
                ch=np.full(int(later.sum()), channel),
                status=np.ones(int(later.sum()), dtype=np.int64),
                ts=revoke_at[later],
                uid=uid[later] + 1,
            )
        )
        from_ = np.full(P.n, NEVER)
        until = np.full(P.n, NEVER)
        from_[person[granted]] = at[granted]
        until[person[later]] = revoke_at[later]
        return from_, until

    mem = np.flatnonzero(P.is_member)
    P.sms_from, P.sms_until = add(mem, np.full(len(mem), PHONE), 0, P.registered[mem], 0.92, 0.08, 0)
    leads = np.flatnonzero(P.lead_phone & ~P.is_member & (streams.rows(P.block).random() < 0.5))
    f2, u2 = add(leads, np.full(len(leads), PHONE), 0, P.lead_at[leads], 1.0, 0.05, 1)
    take = f2 < P.sms_from
    P.sms_from[take], P.sms_until[take] = f2[take], u2[take]
    em = np.flatnonzero(P.has_email)
    add(em, np.full(len(em), EMAIL), 1, P.registered[em], 0.85, 0.05, 2)
    wc = np.flatnonzero(P.wecom)
    _, P.wecom_until = add(wc, np.full(len(wc), EXTERNAL), 2, P.wecom_at[wc], 1.0, 0.06, 3)
    ap = np.flatnonzero(P.app)
    first_use = np.maximum(P.mp_at[ap], P.oa_at[ap])
    add(ap, OAID + P.device_type[ap].astype(np.int64), 3, first_use, 0.75, 0.05, 4)

    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    person = cat.pop("person")
    uid = cat.pop("uid")
    idt = cat["idt"]
    ident = np.empty(len(person), dtype=object)
    for t, values in ((PHONE, book.phone1()), (EMAIL, book.email()), (EXTERNAL, book.external_userid())):
        m = idt == t
        ident[m] = values[person[m]]
    m = idt >= OAID
    ident[m] = book.device(0)[person[m]]
    cat["identifier"] = ident
    exprs = {
        "identifier_type": pick(ID_TYPES, "idt"),
        "identifier": "identifier",
        "channel": pick(CONSENT_CHANNELS, "ch"),
        "status": "CASE status WHEN 0 THEN 'granted' ELSE 'revoked' END",
        "updated_at": ts_local("ts"),
    }
    zeros = np.zeros(len(person), dtype=np.int64)
    return Frame("consents", cat, exprs, person, zeros, cat["ts"], uid, cat["ts"])


def scheduled_campaigns(cal) -> list[tuple]:
    """(campaign id, segment, day from the start, CAMPAIGNS row) of every campaign that starts
    inside the window with at least a week left, by year then CAMPAIGNS order; the same for every
    chunk (the campaign number is the position in this list)."""
    found = []
    for year in range(int(str(cal.start)[:4]), int(str(cal.end)[:4]) + 1):
        for campaign in CAMPAIGNS:
            month, dom, suffix, segment = campaign[:4]
            day = int((np.datetime64(f"{year}-{month:02d}-{dom:02d}") - cal.start).astype(np.int64))
            if 0 <= day <= cal.horizon - 8:
                found.append((f"CP{year}{month:02d}{dom:02d}_{suffix}", segment, day, campaign))
    if len(found) >= CAMPAIGNS_MAX:
        raise GenerateError(f"more than {CAMPAIGNS_MAX} campaigns: shorten --start..--end")
    return found


def _campaigns(ctx, streams, P, orders, book):
    """The campaign_events source: for every scheduled campaign, its segment's reachable members
    (a share of them) get an `assigned` row and a variant, then the funnel (sent, delivered,
    opened, clicked) and conversions, each row from its own time."""
    cal = ctx.cal
    people = streams.rows(P.block)
    deal_seeker = (P.persona == ppl.DEAL) | ((P.rate > 0) & (people.random() < 0.15))
    vip = (P.persona == ppl.VIP) | (P.total_paid_end > 800_000)
    parts = []
    for campaign, (_, segment, day, (_, _, suffix, _, channel, share)) in enumerate(ctx.campaigns):
        start = cal.start_epoch + day * DAY + 10 * 3600
        members = _segment_members(cal, P, orders, segment, day, start, deal_seeker, vip)
        who = np.flatnonzero(members & _reachable(P, channel, start) & (people.random() < share))
        variant, flags, times, revenue = _funnel(streams.rows(P.block[who]), P, who, channel, suffix, start)
        parts += _stage_rows(P, who, variant, flags, times, revenue, channel, campaign)
    return _campaign_frame(ctx, parts, book)


def _segment_members(cal, P, orders, segment, day, start, deal_seeker, vip) -> np.ndarray:
    """True for the people in a campaign's segment on its day (start: its epoch seconds)."""
    known = P.acquired < day
    if segment == "SEG_ALL_FOLLOWERS":
        return known & P.oa
    if segment == "SEG_FEMALE_18_35":
        age = (cal.start_days + day - P.birth_days) / 365.25
        return known & P.female & (age >= 18) & (age < 36)
    if segment == "SEG_SKINCARE_FANS":
        return known & (P.category_pref[:, 0] > 0.45)
    if segment in ("SEG_ACTIVE_180D", "SEG_LAPSED_180D"):
        last = np.full(P.n, -1, dtype=np.int64)
        before = orders.ordered_at < start
        np.maximum.at(last, orders.person[before], orders.ordered_at[before])
        recent = last >= start - 180 * DAY
        return recent if segment == "SEG_ACTIVE_180D" else (last >= 0) & ~recent
    if segment == "SEG_VIP":
        return known & vip
    return known & deal_seeker


def _reachable(P, channel, start) -> np.ndarray:
    """True for the people the channel can reach at `start`: SMS consent, a WeCom contact, an
    official-account follower."""
    if channel == "sms":
        return (P.sms_from < start) & (P.sms_until > start)
    if channel == "wecom":
        return P.wecom & (P.wecom_at < start) & (P.wecom_until > start)
    return P.oa & (P.oa_at < start)


def _funnel(draws, P, who, channel, suffix, start):
    """Variant (A 45%, B 45%, holdout 10%) and the funnel of each targeted person (draws: one row
    per person of `who`): (variant, flags, times, revenue in cents) with one flag and one time
    array per STAGES entry. The holdout is never sent anything."""
    k = len(who)
    variant = draws.choice(3, p=[0.45, 0.45, 0.10])
    treated = variant < 2
    delivery_rate, open_rate, click_rate = FUNNEL[channel]
    sent_at = start + draws.integers(0, 2 * 3600)
    delivered = treated & (draws.random() < delivery_rate)
    delivered_at = sent_at + draws.integers(1, 120)
    opened = delivered & (draws.random() < open_rate)
    opened_at = delivered_at + draws.exponential(6 * 3600).astype(np.int64)
    clicked = (opened if open_rate > 0 else delivered) & (draws.random() < click_rate)
    clicked_at = np.where(opened, opened_at, delivered_at) + draws.exponential(1800).astype(np.int64)
    converted, converted_at = _conversions(draws, P, who, suffix, variant, delivered, clicked, sent_at, clicked_at)
    revenue = (draws.gamma(2.0, 150 * P.spend[who]) * 100).astype(np.int64) // 100 * 100 + 900
    flags = [np.ones(k, dtype=bool), treated, delivered, opened, clicked, converted]
    times = [np.full(k, start), sent_at, delivered_at, opened_at, clicked_at, converted_at]
    return variant, flags, times, revenue


def _conversions(draws, P, who, suffix, variant, delivered, clicked, sent_at, clicked_at):
    """(converted, converted_at): treated people convert after a click (A 18%, B 24%) or after
    delivery alone (1%), the holdout at 0.8%; x0.3 for browsers, x2 for VIPs and for deal hunters
    at 618 and 双11; within 7 days."""
    persona = P.persona[who]
    factor = np.select(
        [persona == ppl.BROWSER, persona == ppl.VIP, (persona == ppl.DEAL) & (suffix in ("618", "D11"))],
        [0.3, 2.0, 2.0],
        1.0,
    )
    after_click = np.where(variant == 1, 0.24, 0.18)
    converted = np.where(
        variant < 2,
        (clicked & (draws.random() < after_click)) | (delivered & (draws.random() < 0.01 * factor)),
        draws.random() < 0.008 * factor,
    )
    delay = np.minimum(draws.exponential(1.5 * DAY), 7 * DAY).astype(np.int64)
    return converted, np.where(clicked, clicked_at, sent_at) + delay


def _stage_rows(P, who, variant, flags, times, revenue, channel, campaign) -> list[dict]:
    """One block of rows per stage: the people who reach that stage (uid: person number * 1024 +
    campaign * 8 + stage)."""
    rows = []
    for stage in range(len(STAGES)):
        sel = flags[stage]
        m = int(sel.sum())
        rows.append(
            dict(
                person=who[sel],
                stage=np.full(m, stage),
                ts=times[stage][sel],
                variant=variant[sel],
                rev=np.where(stage == STAGES.index("converted"), revenue[sel], -1),
                ch=np.full(m, CAMPAIGN_CHANNELS.index(channel)),
                fmt=np.full(m, CAMPAIGN_TIME_FORMAT[channel]),
                camp=np.full(m, campaign),
                uid=P.idx[who[sel]] * 1024 + campaign * 8 + stage,
            )
        )
    return rows


def _campaign_frame(ctx, parts, book) -> Frame:
    """The campaign_events Frame from the stage rows: identifier per channel (phone, WeCom
    external_userid, official-account openid), ordered by campaign then time."""
    columns = ("person", "stage", "ts", "variant", "rev", "ch", "fmt", "camp", "uid")
    parts = parts or [{column: np.zeros(0, np.int64) for column in columns}]
    cat = {column: np.concatenate([part[column] for part in parts]) for column in columns}
    person = cat.pop("person")
    uid = cat.pop("uid")
    ident = np.empty(len(person), dtype=object)
    ch = cat["ch"]
    for c, values in ((0, book.phone1()), (1, book.external_userid()), (2, book.openid(0))):
        ident[ch == c] = values[person[ch == c]]
    cat["identifier"] = ident
    names = [c[0] for c in ctx.campaigns] or ["none"]
    segs = [c[1] for c in ctx.campaigns] or ["none"]
    exprs = {
        "campaign_id": f"{str_list(names)}[camp + 1]",
        "segment_code": f"{str_list(segs)}[camp + 1]",
        "variant": pick(VARIANTS, "variant"),
        "channel": pick(CAMPAIGN_CHANNELS, "ch"),
        "identifier_type": "CASE ch WHEN 0 THEN 'phone' WHEN 1 THEN 'external_userid' ELSE 'openid' END",
        "identifier": "identifier",
        "event_name": pick(STAGES, "stage"),
        "event_time": ts_mixed("ts", "fmt"),
        "revenue": f"CASE WHEN rev >= 0 THEN {money('rev')} END",
    }
    order = cat["camp"] * (1 << 40) + cat["ts"] - ctx.cal.start_epoch + (1 << 35)
    zeros = np.zeros(len(person), dtype=np.int64)
    return Frame("campaign_events", cat, exprs, person, zeros, order, uid, cat["ts"])


def _tags(ctx, streams, P, book):
    """Third-party tags refreshed in the 180 days before --end: dmp_alpha keyed by phone (35% of
    people), adx_beta by oaid (40% of oaid phones); age range, consumption level and beauty
    interest, each a little off now and then. People who arrive after --end have none. Sets
    P.tag_oaid (an oaid tag row exists)."""
    end = ctx.cal.end_epoch
    people = streams.rows(P.block)
    by_phone = np.flatnonzero((people.random() < 0.35) & ~P.arrived)
    by_oaid = np.flatnonzero((P.device_type == 0) & (people.random() < 0.4) & ~P.arrived)
    P.tag_oaid = np.zeros(P.n, dtype=bool)
    P.tag_oaid[by_oaid] = True
    P.device_seen[by_oaid] = True
    person = np.concatenate([by_phone, by_oaid])
    prov = np.r_[np.zeros(len(by_phone), int), np.ones(len(by_oaid), int)]
    person = np.repeat(person, 3)
    prov = np.repeat(prov, 3)
    tag = np.tile(np.arange(3), len(person) // 3)
    draws = streams.rows(P.block[person])
    age_bucket = np.searchsorted([25, 30, 35, 40, 50], P.age[person], side="right")
    age_bucket = np.clip(age_bucket + np.where(draws.random() < 0.2, draws.choice([-1, 1]), 0), 0, 5)
    spend_q = np.clip((np.log(P.spend[person]) + 0.9) / 0.6 + draws.normal(0, 0.6), 0, 3).astype(int)
    interest_base = np.select([np.isin(P.persona[person], [0, 1, 3]), P.persona[person] == ppl.BROWSER], [2, 1], 1)
    interest = np.clip(interest_base + np.where(draws.random() < 0.25, draws.choice([-1, 1]), 0), 0, 2)
    value = np.select([tag == 0, tag == 1], [age_bucket, spend_q], interest)
    ts = end - draws.integers(DAY, 180 * DAY)
    ident = np.where(prov == 0, book.phone1()[person], book.device(0)[person])
    arrays = dict(prov=prov, tag=tag, value=value, identifier=ident, ts=ts)
    exprs = {
        "provider": pick(TAG_PROVIDERS, "prov"),
        "identifier_type": "CASE prov WHEN 0 THEN 'phone' ELSE 'oaid' END",
        "identifier": "identifier",
        "tag_code": pick(TAG_CODES, "tag"),
        "tag_value": f"CASE tag WHEN 0 THEN {str_list(AGE_RANGES)}[value + 1] "
        f"WHEN 1 THEN {str_list(CONSUMPTION)}[value + 1] ELSE {str_list(INTEREST)}[value + 1] END",
        "updated_at": ts_local("ts"),
    }
    uid = P.idx[person] * 8 + prov * 3 + tag
    order = prov * (1 << 58) + uid
    return Frame("third_party_tags", arrays, exprs, person, np.zeros(len(person), dtype=np.int64), order, uid, ts)
