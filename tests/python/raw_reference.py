"""Independent Python readings of raw files, to check staging against (no project SQL involved)."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import phonenumbers

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


# Portrait's own rules that libphonenumber does not know (README, "Identifier forms"): IP
# long-distance prefixes dialled before a mobile number, whole numbers written as floats.
IP_PREFIXES = ("17951", "17911", "12593", "17909", "10193")
FLOAT = r"\d+\.\d+|\d\.\d+[eE]\+?\d+"  # one decimal point, or a one-digit mantissa and an exponent
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def whole_number_text(text: str) -> str | None:
    """The digits of a whole number written as a float ('13912340001.0', '1.3912340001E10'), read
    with Decimal; None when the text is no float, not whole, or an exponent form whose mantissa
    writes fewer digits than the number has ('1.39123E+10' may hide digits)."""
    if not re.fullmatch(FLOAT, text):
        return None
    number = Decimal(text)
    if number != number.to_integral_value():
        return None
    digits = str(int(number))
    written = len(re.sub(r"\D", "", text.lower().split("e")[0]))
    return digits if "e" not in text.lower() or written >= len(digits) else None


def canonical_phone(text: str | None) -> str | None:
    """Reference phone normalisation: a mainland mobile number as its 11 digits, or None.

    libphonenumber (the `phonenumbers` package) parses the text for region CN and must call it a
    valid MOBILE number of country code 86, with no extension and no letters. Before it is asked:
    NFKC (full-width digits, no-break and ideographic spaces), invisible characters removed, a
    whole-number float read as its digits, and one IP long-distance prefix dropped when the rest is
    a mobile number written as 11 digits or with a trunk 0."""
    if text is None:
        return None
    value = unicodedata.normalize("NFKC", text).translate(INVISIBLE).strip()
    if re.fullmatch(FLOAT, value):
        value = whole_number_text(value)
    if not value or re.search(r"[A-Za-z]", value):  # phonenumbers would read letters as a vanity number
        return None
    digits = re.sub(r"\D", "", value)
    if not value.startswith("+") and digits[:5] in IP_PREFIXES and len(digits) in (16, 17):
        value = digits[5:]
    try:
        number = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return None
    if (
        number.country_code != 86
        or number.extension
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE
    ):
        return None
    return phonenumbers.national_significant_number(number)


def registered_raw_folders(project: Path | None = None) -> list[str]:
    """The raw folder of every source table in the source registry (var source_registry of
    dbt_project.yml), in registry order: the source table's `identifier` in its
    models/staging/<source>/_<source>__sources.yml (its name when it has none)."""
    import yaml

    project = project or Path(__file__).resolve().parents[2]
    registry = yaml.safe_load((project / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["source_registry"]
    folders = []
    for name in registry:
        source, table = name.split(".")
        properties = yaml.safe_load((project / "models" / "staging" / source / f"_{source}__sources.yml").read_text())
        entry = next(t for s in properties["sources"] if s["name"] == source for t in s["tables"] if t["name"] == table)
        folders.append(entry.get("identifier", table))
    return folders
