"""Destination specs: the `meta.destination` of the exposures in dbt's target/manifest.json, checked by
the rules of macros/activation/activation_destinations.sql (which applies them when dbt builds)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

REQUIRED = ("kind", "identifiers", "consent_channel", "file_format")
OPTIONAL = ("zip", "max_file_mb", "max_identifiers_per_person", "hash_case", "tags")
CHOICES = {
    "kind": ("advertising", "owned"),
    "consent_channel": ("sms", "wecom", "ads", "email", "none"),
    "file_format": ("csv", "parquet", "txt"),
    "hash_case": ("lower", "upper"),
}
# Identifier types a destination can receive, with their normalisations (the first is the default).
NORMALISATIONS = {
    "phone": ("national", "e164"),
    "oaid": ("as_is", "lower", "upper"),
    "idfa": ("as_is", "lower", "upper"),
    "external_userid": ("as_is",),
    "email": ("as_is",),
    "one_id": ("as_is",),
}
HASHINGS = ("none", "md5", "sha256")
BYTES_PER_MB = 1_000_000


class SpecError(Exception):
    """A destination spec is wrong or cannot be read."""


@dataclass(frozen=True)
class Identifier:
    type: str
    normalisation: str
    hashing: str

    @property
    def id_type(self) -> str:
        """Name of the identifier in files and manifests: `phone_md5`, `external_userid`..."""
        return self.type if self.hashing == "none" else f"{self.type}_{self.hashing}"


@dataclass(frozen=True)
class Destination:
    name: str
    kind: str
    identifiers: tuple[Identifier, ...]
    consent_channel: str
    file_format: str
    zip: bool
    max_file_mb: float
    max_identifiers_per_person: int
    hash_case: str
    tags: tuple[str, ...]
    raw: dict

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * BYTES_PER_MB)

    def identifier(self, id_type: str) -> Identifier:
        return next(identifier for identifier in self.identifiers if identifier.id_type == id_type)

    def audience_fingerprint(self) -> str:
        """Fingerprint of the fields that decide the exported identifiers (see audience_fingerprint)."""
        return audience_fingerprint(
            {
                "kind": self.kind,
                "identifiers": [vars(identifier) for identifier in self.identifiers],
                "consent_channel": self.consent_channel,
                "max_identifiers_per_person": self.max_identifiers_per_person,
                "hash_case": self.hash_case,
            }
        )


def audience_fingerprint(spec: dict) -> str:
    """sha256 of the fields of a validated spec (defaults applied) that decide who and what
    activation_audience_identifiers holds. When they change, dbt must rebuild before an export, and
    an incremental export cannot diff against a state written under the old spec."""
    fields = {
        "kind": spec["kind"],
        "identifiers": [
            {key: identifier[key] for key in ("type", "normalisation", "hashing")} for identifier in spec["identifiers"]
        ],
        "consent_channel": spec["consent_channel"],
        "max_identifiers_per_person": spec["max_identifiers_per_person"],
        "hash_case": spec["hash_case"],
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def _fail(name: str, field: str, problem: str) -> None:
    raise SpecError(f"destination '{name}': field '{field}' {problem}")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _identifier(name: str, field: str, entry, kind: str) -> Identifier:
    if not isinstance(entry, dict):
        _fail(name, field, "must be a mapping: {type, normalisation, hashing}")
    for key in entry:
        if key not in ("type", "normalisation", "hashing"):
            _fail(name, f"{field}.{key}", "is not an identifier field; known fields: type, normalisation, hashing")
    kind_of_id = entry.get("type")
    if kind_of_id not in NORMALISATIONS:
        _fail(name, f"{field}.type", f"is '{kind_of_id}'; one of: {', '.join(NORMALISATIONS)}")
    normalisation = entry.get("normalisation", NORMALISATIONS[kind_of_id][0])
    if normalisation not in NORMALISATIONS[kind_of_id]:
        allowed = ", ".join(NORMALISATIONS[kind_of_id])
        _fail(name, f"{field}.normalisation", f"is '{normalisation}'; for {kind_of_id} one of: {allowed}")
    hashing = entry.get("hashing", "none")
    if hashing not in HASHINGS:
        _fail(name, f"{field}.hashing", f"is '{hashing}'; one of: {', '.join(HASHINGS)}")
    if kind_of_id == "one_id" and kind != "owned":
        _fail(name, f"{field}.type", "one_id is internal: only owned destinations receive it")
    if kind_of_id == "one_id" and hashing != "none":
        _fail(name, f"{field}.hashing", "must be 'none' for one_id")
    return Identifier(kind_of_id, normalisation, hashing)


def validate(name: str, spec) -> Destination:
    """The spec of destination `name` checked and completed with defaults; SpecError names the field."""
    if not isinstance(spec, dict):
        _fail(name, "destination", "must be a mapping of destination fields")
    for field in REQUIRED:
        if spec.get(field) is None:
            _fail(name, field, "is missing")
    for field in spec:
        if field not in REQUIRED + OPTIONAL:
            _fail(name, field, f"is not a destination field; known fields: {', '.join(REQUIRED + OPTIONAL)}")
    values = {
        "kind": spec["kind"],
        "consent_channel": spec["consent_channel"],
        "file_format": spec["file_format"],
        "hash_case": spec.get("hash_case", "lower"),
    }
    for field, allowed in CHOICES.items():
        if values[field] not in allowed:
            _fail(name, field, f"is '{values[field]}'; one of: {', '.join(allowed)}")
    zipped = spec.get("zip", False)
    if not isinstance(zipped, bool):
        _fail(name, "zip", "must be true or false")
    max_file_mb = spec.get("max_file_mb", 100)
    if not _is_number(max_file_mb) or max_file_mb <= 0:
        _fail(name, "max_file_mb", "must be a number of megabytes above 0")
    per_person = spec.get("max_identifiers_per_person", 1)
    if not isinstance(per_person, int) or isinstance(per_person, bool) or per_person < 1:
        _fail(name, "max_identifiers_per_person", "must be a whole number from 1")
    entries = spec["identifiers"]
    if not isinstance(entries, list) or not entries:
        _fail(name, "identifiers", "must be a list of identifiers in order of preference")
    identifiers = tuple(
        _identifier(name, f"identifiers[{index}]", entry, values["kind"]) for index, entry in enumerate(entries)
    )
    types = [identifier.type for identifier in identifiers]
    if len(set(types)) != len(types):
        _fail(name, "identifiers", "names an identifier type twice")
    if values["kind"] == "advertising" and values["consent_channel"] != "ads":
        _fail(name, "consent_channel", "must be 'ads' for an advertising destination")
    if values["consent_channel"] == "none" and (values["kind"] != "owned" or types != ["one_id"]):
        _fail(
            name,
            "consent_channel",
            "can be 'none' only for an owned destination whose only identifier is one_id (nobody is contacted)",
        )
    tags = spec.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        _fail(name, "tags", "must be a list of customer tag codes")
    if tags and values["file_format"] == "txt":
        _fail(name, "tags", "cannot be written to a txt file (one id a line): use csv or parquet")
    return Destination(
        name=name,
        identifiers=identifiers,
        zip=zipped,
        max_file_mb=max_file_mb,
        max_identifiers_per_person=per_person,
        tags=tuple(tags),
        raw=spec,
        **values,
    )


def load_destinations(target_dir: Path) -> dict[str, Destination]:
    """Every destination declared in the manifest of a dbt run, by name."""
    manifest_path = target_dir / "manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"{manifest_path} does not exist: run `dbt build` (or `dbt parse`) first") from None
    except (OSError, ValueError) as error:
        raise SpecError(f"cannot read {manifest_path}: {error}") from None
    destinations = {}
    for exposure in sorted(manifest.get("exposures", {}).values(), key=lambda exposure: exposure["name"]):
        meta = (exposure.get("config") or {}).get("meta") or exposure.get("meta") or {}
        if "destination" in meta:
            destinations[exposure["name"]] = validate(exposure["name"], meta["destination"])
    return destinations
