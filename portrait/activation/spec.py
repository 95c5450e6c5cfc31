"""Destination specs as the database was built with them. `activation.activation_destinations`
holds each exposure's `meta.destination`, validated by macros/activation/activation_destinations.sql
with its defaults applied, so the files always follow the spec the audience was computed with."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import duckdb

from portrait.errors import PortraitError

BYTES_PER_MB = 1_000_000


class SpecError(PortraitError):
    """The destination specs cannot be read from the database."""


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
        """sha256 of the fields that decide who and what the audience holds. An incremental export
        cannot diff against a state written under another fingerprint."""
        fields = {
            "kind": self.kind,
            "identifiers": [vars(identifier) for identifier in self.identifiers],
            "consent_channel": self.consent_channel,
            "max_identifiers_per_person": self.max_identifiers_per_person,
            "hash_case": self.hash_case,
        }
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


def destination(spec: dict) -> Destination:
    """A validated spec (a row of activation_destinations) as a Destination."""
    return Destination(
        name=spec["name"],
        kind=spec["kind"],
        identifiers=tuple(
            Identifier(entry["type"], entry["normalisation"], entry["hashing"]) for entry in spec["identifiers"]
        ),
        consent_channel=spec["consent_channel"],
        file_format=spec["file_format"],
        zip=spec["zip"],
        max_file_mb=spec["max_file_mb"],
        max_identifiers_per_person=spec["max_identifiers_per_person"],
        hash_case=spec["hash_case"],
        tags=tuple(spec["tags"]),
        raw=spec,
    )


def load_destinations(con) -> dict[str, Destination]:
    """Every destination of the build, by name."""
    try:
        rows = con.execute(
            "select destination, cast(spec as varchar) from activation.activation_destinations order by destination"
        ).fetchall()
    except duckdb.CatalogException:
        raise SpecError("activation.activation_destinations does not exist: run `portrait build` first") from None
    return {name: destination(json.loads(spec)) for name, spec in rows}
