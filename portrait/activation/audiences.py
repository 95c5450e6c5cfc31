"""Exports segment audiences to activation destinations (WeCom, SMS, Tencent Ads, Ocean Engine, BI):
full or incremental files with a manifest per export, from a built Portrait database (read-only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from portrait.activation.export import ExportError, Refused, export_segment
from portrait.activation.spec import Destination


class SelectionError(ValueError):
    """A requested segment or destination list names nothing or an unknown name (a bad argument)."""


@dataclass(frozen=True)
class Outcome:
    """One segment to one destination: the manifest when written, else why not (refused: the
    segment may not go there; failed: an error)."""

    segment: str
    destination: str
    manifest: dict | None = None
    refused: str | None = None
    failed: str | None = None


def invocation_id(target: Path) -> str | None:
    """The dbt invocation that built the database, from run_results.json (None when it is missing)."""
    try:
        return json.loads((target / "run_results.json").read_text(encoding="utf-8"))["metadata"]["invocation_id"]
    except (OSError, ValueError, KeyError):
        return None


def active_segments(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(segment code, segment type) of every active segment, by code."""
    return con.execute(
        "select segment_code, segment_type from segments.segment_definitions where status = 'active' order by 1"
    ).fetchall()


def choose(requested: list[str] | None, known: list[str], default: list[str], what: str) -> list[str]:
    """The requested names without repeats, or `default` when nothing was requested;
    SelectionError when the request is empty or names something not in `known`."""
    if requested is None:
        return default
    if not requested:
        raise SelectionError(f"--{what}s names no {what}")
    unknown = [name for name in requested if name not in known]
    if unknown:
        raise SelectionError(f"unknown {what} '{unknown[0]}'; known: {', '.join(known)}")
    return list(dict.fromkeys(requested))


def export_audiences(
    con: duckdb.DuckDBPyConnection,
    destinations: list[Destination],
    segments: list[str],
    out_dir: Path,
    *,
    incremental: bool,
    invocation_id: str | None,
    progress: bool,
) -> Iterator[Outcome]:
    """Exports every segment to every destination (destination by destination), yielding each
    outcome as it is done; a refusal or a failure does not stop the others."""
    for destination in destinations:
        for segment in segments:
            try:
                manifest = export_segment(
                    con,
                    destination,
                    segment,
                    out_dir,
                    incremental=incremental,
                    invocation_id=invocation_id,
                    progress=progress,
                )
            except Refused as refusal:
                yield Outcome(segment, destination.name, refused=str(refusal))
            except (ExportError, OSError) as error:
                yield Outcome(segment, destination.name, failed=str(error))
            else:
                yield Outcome(segment, destination.name, manifest=manifest)
