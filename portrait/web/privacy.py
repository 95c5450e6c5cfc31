"""Personal data in the workbench: masked unless the role may see it, every full view logged (PIPL
art. 6 minimum necessary, art. 9 accountability).

Masks (the forms Chinese apps show): phone 13812348000 -> 138****8000; name 张三 -> 张*,
Li Lei -> L*****; email li.lei@example.com -> l*****@example.com; other identifiers (openid,
buyer id, member id) keep their first 3 and last 2 characters. one_id is a pseudonym and is not
masked.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import threading
from pathlib import Path

from portrait.project import PROJECT_DIR

DEFAULT_ACCESS_LOG = "build/workbench/access_log.jsonl"
# Columns of the golden record that hold personal data, by how they are masked; every identifier
# type is personal data too.
PHONE_FIELDS = {"phone", "mobile"}
NAME_FIELDS = {"member_name", "name", "receiver_name", "nickname"}
EMAIL_FIELDS = {"email"}
BIRTH_FIELDS = {"birth_date", "age"}


def _identifier_types() -> set[str]:
    """The identifier types of seeds/identity/identifier_types.csv (each one personal data)."""
    with open(PROJECT_DIR / "seeds" / "identity" / "identifier_types.csv", encoding="utf-8") as seed:
        return {row["identifier_type"] for row in csv.DictReader(seed)}


IDENTIFIER_FIELDS = _identifier_types() - PHONE_FIELDS - EMAIL_FIELDS


def mask_phone(value: str) -> str:
    """138****8000 for 13812348000: the first 3 and last 4 digits kept; shorter values all stars."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) >= 8 else "*" * len(value)


def mask_name(value: str) -> str:
    """The first character and one star per other character: 张三 -> 张*."""
    return value[:1] + "*" * (len(value) - 1)


def mask_email(value: str) -> str:
    """The first character of the local part, stars, the domain: l*****@example.com."""
    local, at, domain = value.partition("@")
    return mask_name(local) + at + domain


def mask_identifier(value: str) -> str:
    """The first 3 and last 2 characters, stars between (all stars up to 6 characters)."""
    return value[:3] + "*" * (len(value) - 5) + value[-2:] if len(value) > 6 else "*" * len(value)


def mask(field: str, value):
    """`value` of a column or identifier type `field`, masked by its kind; other fields unchanged."""
    if value is None:
        return value
    if field in BIRTH_FIELDS:  # the year of birth only; no age (it tells a minor apart)
        return str(value)[:4] + "-**-**" if field == "birth_date" else "**"
    if not isinstance(value, str):
        return value
    if field in PHONE_FIELDS:
        return mask_phone(value)
    if field in NAME_FIELDS:
        return mask_name(value)
    if field in EMAIL_FIELDS:
        return mask_email(value)
    if field in IDENTIFIER_FIELDS:
        return mask_identifier(value)
    return value


def is_personal(field: str) -> bool:
    """True when the column or identifier type `field` holds personal data."""
    return field in PHONE_FIELDS | NAME_FIELDS | EMAIL_FIELDS | BIRTH_FIELDS | IDENTIFIER_FIELDS


def access_log_path(explicit: str | Path | None = None) -> Path:
    """The access log: the explicit path, else $PORTRAIT_ACCESS_LOG, else build/workbench/access_log.jsonl."""
    path = Path(explicit or os.environ.get("PORTRAIT_ACCESS_LOG", DEFAULT_ACCESS_LOG))
    return path if path.is_absolute() else PROJECT_DIR / path


class AccessLog:
    """An append-only JSON Lines file: one line per view of a person's full personal data
    {at (UTC, ISO 8601), user, role, action, one_id, fields}."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def record(self, user: str, role: str, action: str, one_id: str | None, fields) -> None:
        """Appends one line (and creates the file, mode 0600, the first time); `fields`: the
        personal fields shown (any iterable; each once in the line)."""
        line = {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "user": user,
            "role": role,
            "action": action,
            "one_id": one_id,
            "fields": sorted(set(fields)),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

    def lines(self) -> list[dict]:
        """Every line, oldest first (none when the file does not exist)."""
        if not self.path.is_file():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]
