"""WeChat users (official account + mini-programs, openid per appid linked by
unionid) and WeCom external contacts added by store guides."""

import numpy as np

from .frames import Frame
from .identifiers import pick_or_null
from .seasonality import DAY
from .sqltext import str_list, ts_local

APP_TYPES = ["official_account", "miniprogram", "miniprogram"]


def frames(ctx, P, book):
    """The wechat_users and wecom_contacts sources of the people of one chunk."""
    streams = ctx.streams("wechat")
    users = _wechat_users(ctx, streams, P, book)
    contacts = _wecom_contacts(streams, P, book)
    return users, contacts


def _wechat_users(ctx, streams, P, book):
    """One row per person and WeChat app they use (official account, main mini-program, member
    centre mini-program), from the day they first use it: subscription, last update by --end, a
    phone for 65% of mini-program users (3% of followers), unionid when the person has one. Sets
    P.mp2_at (first use of the member centre mini-program)."""
    cal = ctx.cal
    end_epoch = cal.end_epoch
    parts = []
    P.mp2_at = np.full(P.n, np.iinfo(np.int64).max)
    for app, flag, at in ((0, P.oa, P.oa_at), (1, P.mp1, P.mp_at), (2, P.mp2, P.mp_at)):
        who = np.flatnonzero(flag)
        draws = streams.rows(P.block[who])
        sub = at[who] + (draws.integers(DAY, 120 * DAY) if app == 2 else 0)
        if app == 2:
            P.mp2_at[who] = sub
        unsub = (app == 0) & (draws.random() < 0.15)
        upd = sub + (draws.random() * np.maximum(end_epoch - sub, 0)).astype(np.int64)
        upd = np.where(draws.random() < 0.3, sub, upd)
        # phone: the mini-programs ask for phone authorisation; official accounts rarely know it
        phone_p = 0.03 if app == 0 else 0.65
        has_phone = draws.random() < phone_p
        phone = np.where(P.has_phone2[who] & (draws.random() < 0.2), P.phone2[who], P.phone1[who])
        # exported the night after --end, or after the day the row appears if later
        exported = np.maximum(end_epoch + 1, sub - sub % DAY + DAY)
        parts.append(
            dict(
                person=who,
                app=np.full(len(who), app),
                sub=sub,
                upd=upd,
                status=np.where(app == 0, np.where(unsub, 1, 0), -1),
                phone=np.where(has_phone, phone, 0),
                ingest=exported + draws.integers(3600, 5 * 3600),
            )
        )
    cat = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    person = cat.pop("person")
    app = cat["app"]
    n = len(person)
    openid = np.empty(n, dtype=object)
    for a in range(3):
        openid[app == a] = book.openid(a)[person[app == a]]
    cat.update(openid=openid, unionid=pick_or_null(book.unionid(), person, P.has_unionid[person]))
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
    uid = P.idx[person] * 4 + app
    order = app * 10**10 + cat["sub"]
    return Frame("wechat_users", cat, exprs, person, np.zeros(n, dtype=np.int64), order, uid, cat["sub"])


def _wecom_contacts(streams, P, book):
    """One row per WeCom contact, from the day it is added: a guide of the home store adds the
    customer; 10% are added by a second guide too, 1-60 days later."""
    who = np.flatnonzero(P.wecom)
    second = who[streams.rows(P.block[who]).random() < 0.1]
    person = np.concatenate([who, second])
    is_second = np.r_[np.zeros(len(who), int), np.ones(len(second), int)]
    k = len(person)
    store = P.home_store[person]
    guide = streams.rows(P.block).integers(0, 8)[person]  # guide number within the store
    guide = (guide + is_second) % 8
    later = streams.rows(P.block[second]).integers(DAY, 60 * DAY)
    added = np.concatenate([P.wecom_at[who], P.wecom_at[second] + later])
    shows_union = streams.rows(P.block[person]).random() < 0.95
    arrays = dict(
        external_userid=book.external_userid()[person],
        unionid=pick_or_null(book.unionid(), person, P.has_unionid[person] & shows_union),
        staff=(store + 1001) * 100 + guide,
        added=added,
    )
    exprs = {
        "external_userid": "external_userid",
        "unionid": "unionid",
        "staff_userid": "'E' || staff::VARCHAR",
        "added_at": ts_local("added"),
    }
    uid = P.idx[person] * 2 + is_second
    return Frame("wecom_contacts", arrays, exprs, person, np.zeros(k, dtype=np.int64), added, uid, added)
