"""Small helpers that build DuckDB SQL text.

Builders describe every output column as a SQL expression over numeric numpy
arrays; rendering strings in DuckDB is much faster than in Python.
"""


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def str_list(values) -> str:
    """A DuckDB list literal of strings, e.g. ['a','b']."""
    return "([" + ",".join(lit(v) for v in values) + "]::VARCHAR[])"


def pick(values, idx_col: str) -> str:
    """values[idx] for a 0-based integer column (NULL when idx < 0)."""
    return f"CASE WHEN {idx_col} >= 0 THEN {str_list(values)}[{idx_col} + 1] END"


def _ts(col: str) -> str:
    return f"make_timestamp({col} * 1000000)"


def ts_local(col: str) -> str:
    """Epoch seconds (China local wall-clock) -> 'YYYY-MM-DD HH:MM:SS'."""
    return f"strftime({_ts(col)}, '%Y-%m-%d %H:%M:%S')"


def ts_slash(col: str) -> str:
    """-> 'YYYY/MM/DD HH:MM:SS' (older POS systems)."""
    return f"strftime({_ts(col)}, '%Y/%m/%d %H:%M:%S')"


def ts_iso_offset(col: str) -> str:
    """-> 'YYYY-MM-DDTHH:MM:SS+08:00'."""
    return f"strftime({_ts(col)}, '%Y-%m-%dT%H:%M:%S') || '+08:00'"


def ts_utc(col: str) -> str:
    """-> 'YYYY-MM-DDTHH:MM:SSZ' (the same instant in UTC)."""
    return f"strftime({_ts(f'({col} - 28800)')}, '%Y-%m-%dT%H:%M:%SZ')"


def ts_mixed(col: str, fmt_col: str) -> str:
    """fmt 0 local, 1 ISO +08:00, 2 UTC Z, 3 slash."""
    return (
        f"CASE {fmt_col} WHEN 0 THEN {ts_local(col)} WHEN 1 THEN {ts_iso_offset(col)} "
        f"WHEN 2 THEN {ts_utc(col)} ELSE {ts_slash(col)} END"
    )


def date_of(days_col: str) -> str:
    """Epoch days -> 'YYYY-MM-DD'."""
    return f"(DATE '1970-01-01' + {days_col}::INTEGER)::VARCHAR"


def money(cents_col: str) -> str:
    """Non-negative integer cents -> '123.45'."""
    return f"(({cents_col}) // 100)::VARCHAR || '.' || lpad((({cents_col}) % 100)::VARCHAR, 2, '0')"
