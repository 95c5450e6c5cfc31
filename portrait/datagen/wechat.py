"""WeChat users (official account + mini-programs, openid per appid linked by
unionid) and WeCom external contacts added by store guides."""

import numpy as np

from .frames import Frame
from .identifiers import pick_or_null
from .seasonality import DAY
from .sqltext import str_list, ts_local

APP_TYPES = ["official_account", "miniprogram", "miniprogram"]


def frames(ctx, P, book):
    """The wechat_users and wecom_contacts sources."""
    rng = ctx.rng("wechat")
    end_epoch = ctx.cal.start_epoch + ctx.cal.horizon * DAY - 1
    users = _wechat_users(ctx, rng, P, book, end_epoch)
    contacts = _wecom_contacts(rng, P, book, end_epoch)
    return users, contacts


def _wechat_users(ctx, rng, P, book, end_epoch):
    """One row per person and WeChat app they use (official account, main mini-program, member
    centre mini-program): subscription, last update, a phone for 65% of mini-program users (3% of
    followers), unionid when the person has one."""
    cal = ctx.cal
    parts = []
    for app, flag, at in ((0, P.oa, P.oa_at), (1, P.mp1, P.mp_at), (2, P.mp2, P.mp_at)):
        who = np.flatnonzero(flag)
        k = len(who)
        sub = at[who] + (rng.integers(DAY, 120 * DAY, k) if app == 2 else 0)
        sub = np.minimum(sub, end_epoch - DAY)
        unsub = (app == 0) & (rng.random(k) < 0.15)
        upd = sub + (rng.random(k) * (end_epoch - sub)).astype(np.int64)
        upd = np.where(rng.random(k) < 0.3, sub, upd)
        # phone: the mini-programs ask for phone authorisation; official accounts rarely know it
        phone_p = 0.03 if app == 0 else 0.65
        has_phone = rng.random(k) < phone_p
        phone = np.where(P.has_phone2[who] & (rng.random(k) < 0.2), P.phone2[who], P.phone1[who])
        parts.append(
            dict(
                person=who,
                app=np.full(k, app),
                sub=sub,
                upd=upd,
                status=np.where(app == 0, np.where(unsub, 1, 0), -1),
                phone=np.where(has_phone, phone, 0),
            )
        )
    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    person = cat.pop("person")
    app = cat["app"]
    n = len(person)
    openid = np.empty(n, dtype=object)
    for a in range(3):
        openid[app == a] = book.openid(a)[person[app == a]]
    cat.update(
        openid=openid,
        unionid=pick_or_null(book.unionid(), person, P.has_unionid[person]),
        ingest=cal.start_epoch + cal.horizon * DAY + rng.integers(3600, 5 * 3600, n),
    )
    exprs = {
        "appid": f"{str_list(ctx.appids)}[app + 1]",
        "app_type": f"{str_list(APP_TYPES)}[app + 1]",
        "openid": "openid",
        "unionid": "unionid",
        "phone": "CASE WHEN phone > 0 THEN phone::VARCHAR END",
        "subscribe_status": "CASE status WHEN 0 THEN 'subscribed' WHEN 1 THEN 'unsubscribed' END",
        "subscribed_at": ts_local("sub"),
        "updated_at": ts_local("upd"),
        "_ingest_ts": ts_local("ingest"),
    }
    return Frame("wechat_users", cat, exprs, person, np.zeros(n, dtype=np.int64), app * 10**10 + cat["sub"])


def _wecom_contacts(rng, P, book, end_epoch):
    """One row per WeCom contact: a guide of the home store adds the customer; 10% are added by a
    second guide too."""
    who = np.flatnonzero(P.wecom)
    second = who[rng.random(len(who)) < 0.1]
    person = np.concatenate([who, second])
    k = len(person)
    store = P.home_store[person]
    guide = rng.integers(0, 8, P.n)[person]  # guide number within the store
    guide = (guide + np.r_[np.zeros(len(who), int), np.ones(len(second), int)]) % 8
    added = np.concatenate([P.wecom_at[who], P.wecom_at[second] + rng.integers(DAY, 60 * DAY, len(second))])
    added = np.minimum(added, end_epoch)
    arrays = dict(
        external_userid=book.external_userid()[person],
        unionid=pick_or_null(book.unionid(), person, P.has_unionid[person] & (rng.random(k) < 0.95)),
        staff=(store + 1001) * 100 + guide,
        added=added,
    )
    exprs = {
        "external_userid": "external_userid",
        "unionid": "unionid",
        "staff_userid": "'E' || staff::VARCHAR",
        "added_at": ts_local("added"),
    }
    return Frame("wecom_contacts", arrays, exprs, person, np.zeros(k, dtype=np.int64), added)
