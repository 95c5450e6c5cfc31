"""Spark adapters of Portrait's dbt Python models (see portrait/python_models/): each module, run
by a Spark twin model through macros/engine/python_transform.sql as
`python -m portrait.spark_models.<model>`, reads its input rows, calls the model's function and
writes the model's rows.

Framing (the macro's): tab-separated lines, `\\N` for null, one task. The first line is
`0<TAB><params JSON>` followed by nulls; every other line is `1<TAB>\\N<TAB><the model's columns>`
in the order the DuckDB model reads them. Values arrive as Spark writes them (a double in a form
Python's float() reads back exactly, booleans true/false, timestamps `YYYY-MM-DD HH:MM:SS[.f]`);
written values are read back by Spark's cast to the declared output types, so a float is written
as repr() (the shortest text that reads back the same double) and NaN as null.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterable, Iterator
from datetime import date, datetime

NULL = "\\N"


def read_input(stream=None) -> tuple[dict, Iterator[list[str | None]]]:
    """(params, the data rows: lists of fields, None for null) of the framed input."""
    lines = iter(stream if stream is not None else sys.stdin)
    params: dict = {}
    first = next(lines, None)
    if first is not None:
        fields = _fields(first)
        if fields[0] != "0":
            raise ValueError(f"the first input row is not the params row: {first[:200]!r}")
        params = json.loads(fields[1]) if fields[1] is not None else {}
    return params, (_fields(line)[2:] for line in lines if line.strip("\r\n"))


def _fields(line: str) -> list[str | None]:
    return [None if field == NULL else field for field in line.rstrip("\n").split("\t")]


def number(field: str | None) -> float:
    """A double field as a float (NaN for null)."""
    return math.nan if field is None else float(field)


def integer(field: str | None) -> int | None:
    return None if field is None else int(field)


def timestamp(field: str | None) -> datetime | None:
    return None if field is None else datetime.fromisoformat(field)


def boolean(field: str | None) -> bool | None:
    return None if field is None else field == "true"


def text(value) -> str:
    """One output field."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    value = str(value)
    if "\t" in value or "\n" in value or "\r" in value:
        raise ValueError(f"a text value holds a tab or a line break: {value[:200]!r}")
    return value


def write_rows(rows: Iterable[Iterable], stream=None) -> None:
    out = stream if stream is not None else sys.stdout
    for row in rows:
        out.write("\t".join(text(value) for value in row) + "\n")
    out.flush()
