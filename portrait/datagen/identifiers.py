"""Per-person identifier strings of one chunk, rendered once in DuckDB and then
picked per row with numpy fancy indexing (object arrays).  Sources and the
ground truth read the same arrays, so a clean raw value always equals its
canonical value.  Codes are derived from the global person number, so a
person's identifiers are the same in any chunk.
"""

import numpy as np

from .idcodes import (
    K_DEVICE,
    K_EXTERNAL,
    K_OPENID,
    K_UNIONID,
    mix64,
    sql_buyer_id,
    sql_device,
    sql_email,
    sql_external_userid,
    sql_openid,
    sql_unionid,
)
from .sqltext import lit

SHARED_DEVICE_CODES = 1 << 60  # device codes of shared family devices start here (people use 4 * idx + slot)


class IdentifierBook:
    """Lazily rendered identifier strings, one object array of length n (people of the chunk) per
    family. Sparse families are rendered only for people who have them (None elsewhere)."""

    def __init__(self, ctx, P):
        self.ctx = ctx
        self.P = P
        self._cache = {}

    def _render(self, key, sql, who=None, **arrays):
        if key not in self._cache:
            con = self.ctx.con
            if who is not None:
                idx = np.flatnonzero(who)
                arrays = {k: v[idx] for k, v in arrays.items()}
            con.register("_idbook", arrays)
            values = con.execute(f"SELECT ({sql})::VARCHAR AS v FROM _idbook").fetchnumpy()["v"]
            con.unregister("_idbook")
            if who is not None:
                out = np.full(self.P.n, None, dtype=object)
                out[idx] = values
                values = out
            self._cache[key] = values
        return self._cache[key]

    @property
    def _all(self):
        """The global person numbers of the chunk."""
        return self.P.idx

    def member_id(self, second: bool = False) -> np.ndarray:
        P = self.P
        if second:
            return self._render("member2", "'M' || x::VARCHAR", P.has_member2, x=P.member2_no)
        return self._render("member", "'M' || x::VARCHAR", P.is_member, x=P.member_no)

    def unionid(self) -> np.ndarray:
        sql = sql_unionid("x", lit(self.ctx.unionid_prefix))
        return self._render("unionid", sql, self.P.has_unionid, x=mix64(self._all, K_UNIONID))

    def openid(self, app: int) -> np.ndarray:
        """app 0 = official account, 1 = main mini-program, 2 = member mini-program."""
        who = (self.P.oa, self.P.mp1, self.P.mp2)[app]
        sql = sql_openid("x", lit(self.ctx.openid_prefixes[app]))
        return self._render(("openid", app), sql, who, x=mix64(self._all * 4 + app, K_OPENID))

    def external_userid(self) -> np.ndarray:
        return self._render("external", sql_external_userid("x"), self.P.wecom, x=mix64(self._all, K_EXTERNAL))

    def device(self, slot: int) -> np.ndarray:
        """slot 0: the person's phone (advertising id), slot 1: a second device."""
        who = None if slot == 0 else self.P.has_device2
        return self._render(
            ("device", slot),
            sql_device("x", "t"),
            who,
            x=mix64(self._all * 4 + slot, K_DEVICE),
            t=self.device_type(slot),
        )

    def device_type(self, slot: int) -> np.ndarray:
        return self.P.device_type if slot == 0 else self.P.device2_type

    def shared_device(self) -> np.ndarray:
        """One string per shared family device of the chunk (index = P.shared_device)."""
        code = SHARED_DEVICE_CODES + self.P.shared_device_code
        return self._render("shared", sql_device("x", "t"), x=mix64(code, K_DEVICE), t=self.P.shared_device_type)

    def email(self) -> np.ndarray:
        P = self.P
        return self._render(
            "email",
            sql_email("w1", "w2", "num", "dom"),
            P.has_email,
            w1=P.email_w1,
            w2=P.email_w2,
            num=P.email_num,
            dom=P.email_domain,
        )

    def buyer_id(self, platform: int) -> np.ndarray:
        """Marketplace buyer ids (0 tmall, 1 jd, 2 douyin); mini-program buyers use openid(1)."""
        code = self.P.buyer_code[platform]
        sql = sql_buyer_id("x", "c", "NULL")
        return self._render(("buyer", platform), sql, code > 0, x=code, c=np.full(self.P.n, platform))

    def phone1(self) -> np.ndarray:
        return self._render("phone1", "x::VARCHAR", x=self.P.phone1)

    def phone2(self) -> np.ndarray:
        return self._render("phone2", "x::VARCHAR", self.P.has_phone2, x=self.P.phone2)


def pick_or_null(values: np.ndarray, idx: np.ndarray, present: np.ndarray) -> np.ndarray:
    """values[idx] where present, else None (NULL)."""
    out = values[idx]
    if not np.all(present):
        out = out.copy()
        out[~present] = None
    return out
