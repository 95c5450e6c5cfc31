"""Per-person identifier strings, rendered once in DuckDB and then picked per
row with numpy fancy indexing (object arrays).  Sources and the ground truth
read the same arrays, so a clean raw value always equals its canonical value.
"""
import numpy as np

from .idcodes import (K_DEVICE, K_EXTERNAL, K_OPENID, K_UNIONID, mix64, sql_buyer_id, sql_device,
                      sql_email, sql_external_userid, sql_openid, sql_unionid)
from .sqltext import lit


class IdentifierBook:
    def __init__(self, ctx, P):
        self.ctx = ctx
        self.P = P
        self._cache = {}

    def _render(self, key, sql, **arrays):
        if key not in self._cache:
            con = self.ctx.con
            con.register("_idbook", arrays)
            self._cache[key] = con.execute(f"SELECT ({sql})::VARCHAR AS v FROM _idbook").fetchnumpy()["v"]
            con.unregister("_idbook")
        return self._cache[key]

    @property
    def _all(self):
        return np.arange(self.P.n, dtype=np.int64)

    def member_id(self, second: bool = False) -> np.ndarray:
        no = self.P.member2_no if second else self.P.member_no
        return self._render(("member", second), "'M' || x::VARCHAR", x=no)

    def unionid(self) -> np.ndarray:
        return self._render("unionid", sql_unionid("x", lit(self.ctx.unionid_prefix)),
                            x=mix64(self._all, K_UNIONID))

    def openid(self, app: int) -> np.ndarray:
        """app 0 = official account, 1 = main mini-program, 2 = member mini-program."""
        return self._render(("openid", app), sql_openid("x", lit(self.ctx.openid_prefixes[app])),
                            x=mix64(self._all * 4 + app, K_OPENID))

    def external_userid(self) -> np.ndarray:
        return self._render("external", sql_external_userid("x"), x=mix64(self._all, K_EXTERNAL))

    def device(self, slot: int) -> np.ndarray:
        """slot 0: the person's phone (advertising id), slot 1: a second device."""
        typ = self.P.device_type if slot == 0 else self.P.device2_type
        return self._render(("device", slot), sql_device("x", "t"),
                            x=mix64(self._all * 4 + slot, K_DEVICE), t=typ)

    def device_type(self, slot: int) -> np.ndarray:
        return self.P.device_type if slot == 0 else self.P.device2_type

    def shared_device(self) -> np.ndarray:
        """One string per shared family device (index = P.shared_device)."""
        k = self.P.n_shared_devices
        return self._render("shared", sql_device("x", "t"),
                            x=mix64(self.P.n * 4 + np.arange(k), K_DEVICE), t=self.P.shared_device_type)

    def email(self) -> np.ndarray:
        P = self.P
        return self._render("email", sql_email("w1", "w2", "num", "dom"), w1=P.email_w1,
                            w2=P.email_w2, num=P.email_num, dom=P.email_domain)

    def buyer_id(self, platform: int) -> np.ndarray:
        """Marketplace buyer ids (0 tmall, 1 jd, 2 douyin); mini-program buyers use openid(1)."""
        return self._render(("buyer", platform), sql_buyer_id("x", "c", "NULL"),
                            x=self.P.buyer_code[platform], c=np.full(self.P.n, platform))

    def phone1(self) -> np.ndarray:
        return self._render("phone1", "x::VARCHAR", x=self.P.phone1)

    def phone2(self) -> np.ndarray:
        return self._render("phone2", "x::VARCHAR", x=self.P.phone2)


def pick_or_null(values: np.ndarray, idx: np.ndarray, present: np.ndarray) -> np.ndarray:
    """values[idx] where present, else None (NULL)."""
    out = values[idx]
    if not np.all(present):
        out = out.copy()
        out[~present] = None
    return out
