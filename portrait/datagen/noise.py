"""Noise injection at known rates.

Every raw row gets u ~ U(0,1), hashed from the row's identity (Frame.uid), so a
row's noise does not depend on the other rows written with it.  Each noise kind
owns a disjoint band of u of width RATES[kind]; a row gets that kind when u
falls in the band AND the kind applies to the row (column present and non-null,
right file format ...).  So a row carries at most one noise kind, and each rate
is "per applicable row".  Duplicates are exact copies of clean rows, written a
few rows after the original (within the rows of its block of people).  All
constants live here.
"""

import numpy as np

from .sqltext import str_list
from .streams import row_bits, row_unit

RATES = {
    "duplicate": 0.010,  # exact copy of a clean row (identical on every column)
    "malformed_line": 0.002,  # CSV: too many / too few fields; JSONL: invalid JSON
    "missing_key": 0.002,  # natural key column empty
    "invalid_timestamp": 0.003,  # 2024-02-30 .., 2025-13-05 .., 0000-00-00 00:00:00, not a date
    "negative_amount": 0.002,  # amount written with a leading minus
    "placeholder_phone": 0.005,  # 13800138000, 00000000000, 11111111111, 12345678901
    "phone_format": 0.010,  # +86 138 0013 8000, 86-13800138000, full-width digits ...
    "email_format": 0.010,  # upper-cased and/or whitespace-padded email
    "whitespace": 0.005,  # leading/trailing spaces (incl. full-width space) in text
    "null_like": 0.005,  # 'null', 'NULL', '-', '' (empty string), 'N/A'
}
BANDED = [k for k in RATES if k != "duplicate"]
PLACEHOLDER_PHONES = ["13800138000", "00000000000", "11111111111", "12345678901"]
NULL_LIKE = ["null", "NULL", "-", "", "N/A"]
DUPLICATE_MAX_DISTANCE = 200  # duplicate placed 1..200 rows after its original


def plan_rows(files: np.ndarray, blocks: np.ndarray, uids: np.ndarray, spec):
    """u / variant per row and the duplicate rows inserted.

    files, blocks, uids: the file index, block of people and identity of each row, rows already
    in file order (grouped by file, then block). Returns (row index, is_duplicate, u, v) in final
    file order; a duplicate follows its original by 1..DUPLICATE_MAX_DISTANCE rows, within the
    rows of the same file and block.
    """
    n = len(files)
    u = row_unit(uids, "noise:" + spec.name)
    v = (row_bits(uids, "noise-variant:" + spec.name) >> np.uint64(34)).astype(np.int64)
    if "duplicate" not in spec.noise or n == 0:
        return np.arange(n), np.zeros(n, dtype=bool), u, v
    dup = np.flatnonzero(u >= 1 - RATES["duplicate"])
    # last row index of each (file, block) run, to keep a duplicate inside its original's run
    group_end = np.r_[np.flatnonzero((files[1:] != files[:-1]) | (blocks[1:] != blocks[:-1])), n - 1]
    run = np.searchsorted(group_end, dup)
    dist = 1 + (row_bits(uids[dup], "duplicate-distance:" + spec.name) % np.uint64(DUPLICATE_MAX_DISTANCE))
    pos = np.minimum(dup + dist.astype(np.int64), group_end[run]) + 0.5
    key = np.concatenate([np.arange(n, dtype=float), pos])
    perm = np.argsort(key, kind="stable")
    idx = np.concatenate([np.arange(n), dup])[perm]
    is_dup = np.concatenate([np.zeros(n, dtype=bool), np.ones(len(dup), dtype=bool)])[perm]
    return idx, is_dup, u[idx], v[idx]


def _target(cols, col):
    """SQL condition 'this row's target column for a multi-column kind is col'."""
    return f"(_v // 1000) % {len(cols)} = {cols.index(col)}"


def _target_present(cols):
    return (
        "CASE "
        + " ".join(f"WHEN (_v // 1000) % {len(cols)} = {i} THEN {c} IS NOT NULL" for i, c in enumerate(cols))
        + " END"
    )


def _applies(kind, spec, fmt_sql):
    if kind == "malformed_line":
        return f"{fmt_sql} IN ('csv', 'jsonl')"
    if kind == "missing_key":
        return f"{spec.key_column} IS NOT NULL" if spec.key_column else None
    if kind in ("placeholder_phone", "phone_format"):
        if not spec.phone:
            return None
        return f"{spec.phone} IS NOT NULL AND ({spec.phone_when})"
    if kind == "email_format":
        return f"{spec.email} IS NOT NULL AND ({spec.email_when})" if spec.email else None
    cols = {
        "whitespace": spec.text,
        "null_like": spec.optional,
        "invalid_timestamp": spec.timestamps,
        "negative_amount": spec.amounts,
    }[kind]
    if not cols:
        return None
    if kind == "null_like":
        return "TRUE"
    return _target_present(list(cols))


def kind_sql(spec, fmt_sql: str) -> str:
    """SQL for the noise kind of a row (NULL = clean)."""
    parts, lo = ["WHEN _dup THEN 'duplicate'"], 0.0
    for kind in BANDED:
        if kind not in spec.noise:
            continue
        hi = lo + RATES[kind]
        cond = _applies(kind, spec, fmt_sql)
        if cond:
            parts.append(f"WHEN _u >= {lo!r} AND _u < {hi!r} AND ({cond}) THEN '{kind}'")
        lo = hi
    assert lo < 1 - RATES["duplicate"]
    return "CASE " + " ".join(parts) + " END"


def _phone_variant(c: str) -> str:
    return (
        f"CASE _v % 6 "
        f"WHEN 0 THEN '+86 ' || substr({c},1,3) || ' ' || substr({c},4,4) || ' ' || substr({c},8,4) "
        f"WHEN 1 THEN '86-' || {c} "
        f"WHEN 2 THEN substr({c},1,3) || ' ' || substr({c},4,4) || ' ' || substr({c},8,4) "
        f"WHEN 3 THEN substr({c},1,3) || '-' || substr({c},4,4) || '-' || substr({c},8,4) "
        f"WHEN 4 THEN translate({c}, '0123456789', '０１２３４５６７８９') "
        f"ELSE '+86' || {c} END"
    )


def _invalid_ts(c: str) -> str:
    return (
        f"CASE _v % 4 WHEN 0 THEN substr({c},1,4) || '-02-30 ' || substr({c},12,8) "
        f"WHEN 1 THEN substr({c},1,4) || '-13-' || substr({c},9,2) || ' ' || substr({c},12,8) "
        f"WHEN 2 THEN '0000-00-00 00:00:00' ELSE 'not a date' END"
    )


def column_sql(spec, col: str) -> str:
    """SQL rewriting a clean column according to the row's noise kind."""
    cases = []
    if col == spec.key_column:
        cases.append("WHEN _noise = 'missing_key' THEN NULL")
    if col == spec.phone:
        cases.append(f"WHEN _noise = 'phone_format' THEN {_phone_variant(col)}")
        cases.append(f"WHEN _noise = 'placeholder_phone' THEN {str_list(PLACEHOLDER_PHONES)}[_v % 4 + 1]")
    if col == spec.email:
        cases.append(
            f"WHEN _noise = 'email_format' THEN CASE _v % 4 WHEN 0 THEN upper({col}) "
            f"WHEN 1 THEN ' ' || {col} WHEN 2 THEN {col} || ' ' ELSE upper({col}) || ' ' END"
        )
    if col in spec.text:
        cases.append(
            f"WHEN _noise = 'whitespace' AND {_target(spec.text, col)} THEN "
            f"CASE _v % 4 WHEN 0 THEN ' ' || {col} WHEN 1 THEN {col} || ' ' "
            f"WHEN 2 THEN '  ' || {col} || '  ' ELSE {col} || '\u3000' END"
        )
    if col in spec.optional:
        cases.append(
            f"WHEN _noise = 'null_like' AND {_target(spec.optional, col)} THEN {str_list(NULL_LIKE)}[_v % 5 + 1]"
        )
    if col in spec.timestamps:
        cases.append(f"WHEN _noise = 'invalid_timestamp' AND {_target(spec.timestamps, col)} THEN {_invalid_ts(col)}")
    if col in spec.amounts:
        cases.append(f"WHEN _noise = 'negative_amount' AND {_target(spec.amounts, col)} THEN '-' || {col}")
    if not cases:
        return f'"{col}"'
    return "CASE " + " ".join(cases) + f' ELSE "{col}" END'
