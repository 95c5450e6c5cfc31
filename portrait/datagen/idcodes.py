"""Unique numeric codes and the SQL that renders them as identifier strings.

Every identifier is generated as a unique integer code in numpy and rendered
to text in DuckDB by the functions below.  Sources and the ground truth use the
same functions, so a clean raw value always equals its canonical value.
"""

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)

# Key offsets that separate code families (any distinct values work).
K_UNIONID, K_OPENID, K_EXTERNAL, K_DEVICE, K_APP_EVENT, K_MP_EVENT = (
    0x1000,
    0x2000_0000,
    0x3000_0000_0000,
    0x4000_0000_0000_0000,
    0x5000_0000_0000_0000,
    0x6000_0000_0000_0000,
)


_SEED = [0]


def set_seed(seed: int) -> None:
    """Make every identifier family depend on the generator seed."""
    _SEED[0] = (int(seed) * 0x9E3779B97F4A7C15) % (1 << 64)


def mix64(x, key: int) -> np.ndarray:
    """Bijective 64-bit mixing (splitmix64 finaliser): distinct x -> distinct codes
    (within one family key and seed)."""
    z = np.asarray(x).astype(np.uint64) + np.uint64((key ^ _SEED[0]) % (1 << 64))
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


def unique_ints(rng: np.random.Generator, n: int, low: int, high: int) -> np.ndarray:
    """n distinct random integers in [low, high)."""
    vals = rng.integers(low, high, size=n, dtype=np.int64)
    while n:
        _, first = np.unique(vals, return_index=True)
        if len(first) == n:
            break
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        vals[dup] = rng.integers(low, high, size=int(dup.sum()), dtype=np.int64)
    return vals


def _b64(col: str) -> str:
    """22 URL-safe base64 characters derived from md5 of the code."""
    return f"substr(replace(replace(to_base64(unhex(md5({col}::VARCHAR))), '+', '-'), '/', '_'), 1, 22)"


def sql_unionid(col: str, prefix_sql: str) -> str:
    """28 chars: 'o' + 5-char prefix of the brand's open platform + 22 chars."""
    return f"'o' || {prefix_sql} || {_b64(col)}"


def sql_openid(col: str, prefix_sql: str) -> str:
    """28 chars: 'o' + 5-char prefix shared by one appid + 22 chars."""
    return f"'o' || {prefix_sql} || {_b64(col)}"


def sql_external_userid(col: str) -> str:
    """32 chars, starts with 'wm'."""
    return f"'wmqfVCDgAA' || {_b64(col)}"


def _uuid_hex(col: str) -> str:
    h = f"md5({col}::VARCHAR)"
    return (
        f"substr({h},1,8) || '-' || substr({h},9,4) || '-' || substr({h},13,4) || '-' || "
        f"substr({h},17,4) || '-' || substr({h},21,12)"
    )


DEVICE_TYPES = ["oaid", "idfa", "android_id"]


def sql_device(col: str, type_col: str) -> str:
    """oaid: lower-case UUID; idfa: upper-case UUID; android_id: 16 hex."""
    return (
        f"CASE {type_col} WHEN 0 THEN {_uuid_hex(col)} WHEN 1 THEN upper({_uuid_hex(col)}) "
        f"ELSE substr(md5({col}::VARCHAR), 1, 16) END"
    )


def sql_event_uuid(col: str) -> str:
    return _uuid_hex(col)


def sql_masked_phone(col: str) -> str:
    p = f"{col}::VARCHAR"
    return f"substr({p}, 1, 3) || '****' || substr({p}, 8, 4)"


PLATFORMS = ["tmall", "jd", "douyin", "miniprogram"]


def sql_buyer_id(code_col: str, platform_col: str, openid_sql: str) -> str:
    """Marketplace buyer ids; the mini-program buyer_id is the buyer's mini-program openid."""
    return (
        f"CASE {platform_col} WHEN 0 THEN 'tb' || {code_col}::VARCHAR "
        f"WHEN 1 THEN 'jd_' || lower(hex({code_col})) "
        f"WHEN 2 THEN 'dy' || {code_col}::VARCHAR ELSE {openid_sql} END"
    )


def appid_values(rng: np.random.Generator, n: int) -> list:
    return ["wx" + "".join(rng.choice(list("0123456789abcdef"), 16)) for _ in range(n)]


def id_prefixes(rng: np.random.Generator, n: int) -> list:
    alphabet = list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789-_")
    return ["".join(rng.choice(alphabet, 5)) for _ in range(n)]


def sql_email(w1: str, w2: str, num: str, dom: str) -> str:
    """Canonical lower-case email; qq.com addresses are numeric like real QQ mail."""
    from . import reference as ref
    from .sqltext import str_list

    words = str_list(ref.EMAIL_WORDS)
    domains = str_list([d[0] for d in ref.EMAIL_DOMAINS])
    return (
        f"CASE WHEN {dom} = 0 THEN {num}::VARCHAR || '@qq.com' ELSE "
        f"{words}[{w1} + 1] || {words}[{w2} + 1] || {num}::VARCHAR || '@' || {domains}[{dom} + 1] END"
    )
