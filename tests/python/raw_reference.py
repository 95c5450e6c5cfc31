"""Independent Python readings of raw files, to check staging against (no project SQL involved)."""

from __future__ import annotations

import csv
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

BUSINESS_TIME_ZONE = ZoneInfo("Asia/Shanghai")
NULL_LIKE = {"", "null", "none", "nil", "n/a", "-", "--", "undefined", "nan", "\\n"}
DATA_SUFFIXES = {".csv", ".jsonl", ".ndjson", ".json", ".parquet"}


def data_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in DATA_SUFFIXES) if folder.is_dir() else []


def count_records(path: Path) -> int:
    """Records in one raw file: non-blank lines (minus the CSV header), or Parquet rows."""
    if path.suffix.lower() == ".parquet":
        return duckdb.execute("select count(*) from read_parquet(?)", [str(path)]).fetchall()[0][0]
    with path.open(encoding="utf-8") as handle:
        lines = sum(1 for line in handle if line.strip())
    return lines - 1 if path.suffix.lower() == ".csv" else lines


def records_by_position(path: Path) -> dict[int, dict[str, str | None]]:
    """Raw values of each well-formed record keyed by its position (line number, or row number for Parquet)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        con = duckdb.connect()
        rows = con.execute("select * from read_parquet(?)", [str(path)])
        names = [d[0] for d in rows.description]
        return {i + 1: dict(zip(names, row, strict=True)) for i, row in enumerate(rows.fetchall())}
    records = {}
    with path.open(encoding="utf-8", newline="") as handle:
        if suffix == ".csv":
            reader = csv.reader(handle)
            header = next(reader)
            for row in reader:
                if len(row) == len(header):
                    records[reader.line_num] = dict(zip(header, row, strict=True))
        else:
            for number, line in enumerate(handle, start=1):
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    records[number] = {k: None if v is None else str(v) for k, v in value.items()}
    return records


def to_utc(text: str | None) -> datetime | None:
    """Reference reading of a raw timestamp: offset honoured, naive = Asia/Shanghai, 10 digits = Unix seconds."""
    if text is None or text.strip().lower() in NULL_LIKE:
        return None
    value = text.strip()
    if re.fullmatch(r"\d{10}", value):
        return datetime.fromtimestamp(int(value), UTC).replace(tzinfo=None)
    value = re.sub(r"Z$", "+00:00", value).replace("/", "-")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=BUSINESS_TIME_ZONE)
    return parsed.astimezone(UTC).replace(tzinfo=None)


def canonical_phone(text: str | None) -> str | None:
    """Reference phone normalisation: half-width digits, separators and 86/0086 prefixes removed."""
    if text is None:
        return None
    value = text.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}).replace("\u3000", " ")
    value = re.sub(r"[\s\-().+]", "", value)
    match = re.fullmatch(r"(?:0086|86)?(1[3-9]\d{9})", value)
    return match.group(1) if match else None
