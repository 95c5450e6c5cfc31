"""Row-for-row comparison of two relations read by one DuckDB connection: exact values, except
floats within a relative tolerance (lists and structs element by element)."""

from __future__ import annotations

import math


def close(one, other, rel_tol: float) -> bool:
    """Equal values, floats within rel_tol (lists, tuples and dicts compared element by element)."""
    if isinstance(one, float) and isinstance(other, float):
        return math.isclose(one, other, rel_tol=rel_tol, abs_tol=1e-12) or (math.isnan(one) and math.isnan(other))
    if isinstance(one, list | tuple) and isinstance(other, list | tuple):
        return len(one) == len(other) and all(close(a, b, rel_tol) for a, b in zip(one, other, strict=True))
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(close(one[k], other[k], rel_tol) for k in one)
    return one == other


def sorted_rows(con, relation: str, columns: list[str]) -> list[tuple]:
    """The rows of `relation` (SQL text) in `columns`, sorted by their text with floats left out, so
    two relations holding the same rows list them in the same order."""
    rows = con.execute(f"select {', '.join(f'{chr(34)}{c}{chr(34)}' for c in columns)} from {relation}").fetchall()
    return sorted(rows, key=lambda row: repr([value for value in row if not isinstance(value, float)]))


def same_rows(con, one: str, other: str, columns: list[str], rel_tol: float) -> bool:
    """True when relations `one` and `other` hold the same rows in `columns` (see close)."""
    first, second = sorted_rows(con, one, columns), sorted_rows(con, other, columns)
    return len(first) == len(second) and all(close(a, b, rel_tol) for a, b in zip(first, second, strict=True))
