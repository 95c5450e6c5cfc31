"""Export throughput to CSV and to Parquet with a destination's identifiers and tags (default
bi_generic: one_id and its tags), best of --repeat runs; prints JSON with rows, bytes, seconds and
rows per second per format. Either a full export of one segment (default: the largest), or with
--people N the files of an audience of the first N people of the destination (the same query and
writers, no segment needed: a segment of that size may not exist). Reads the database read-only."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from portrait.activation import export
from portrait.activation.export import export_segment
from portrait.activation.spec import Destination

FORMATS = ("csv", "parquet")


def write_first_people(con: duckdb.DuckDBPyConnection, destination: Destination, people: int, folder: Path) -> dict:
    """Writes the files of an audience of the destination's first `people` people (by one_id)
    into folder (which must not exist); returns {row_count, files: [{bytes}]}."""
    folder.mkdir(parents=True)
    tags = "".join(f", profile.{export.quoted(tag)}" for tag in destination.tags)
    con.execute(
        f"""
        create or replace temp table current_rows as
        select audience.id_type, audience.exported_identifier{tags}
        from activation.activation_audience_identifiers as audience
        left join tags.customer_profile as profile on audience.one_id = profile.one_id
        where audience.destination = ?
        order by audience.one_id
        limit ?
        """,
        [destination.name, people],
    )
    columns = ["exported_identifier", *destination.tags]
    written = []
    for identifier in destination.identifiers:
        stem = f"first_{people}.{identifier.id_type}"
        written += export.write_rows(con, "current_rows", columns, destination, identifier.id_type, stem, folder, False)
    files = [{"bytes": file.bytes} for file in written]
    return {"row_count": sum(file.rows for file in written), "files": files}


def largest_segment(con: duckdb.DuckDBPyConnection, destination: str) -> str:
    """The segment that writes the most identifiers to the destination (not refused there)."""
    row = con.execute(
        "select segment_code from activation.segment_reach where destination = ? and not is_refused"
        " order by identifiers_written desc limit 1",
        [destination],
    ).fetchone()
    if row is None:
        raise export.ExportError(f"no segment may go to {destination}: give --segment or --people")
    return row[0]


def run(
    con: duckdb.DuckDBPyConnection,
    base: Destination,
    segment: str | None,
    people: int | None,
    repeat: int,
    out: Path | None,
) -> dict:
    """Times exports with the destination `base`'s identifiers and tags as CSV and as Parquet
    (unzipped, one file), best of `repeat` runs each: the full export of `segment` (default the
    largest), or with `people` the files of the destination's first N people. Files go under
    `out` (default a temporary folder, removed afterwards). Returns {segment, destination,
    formats: {format: {rows, columns, bytes, seconds, rows_per_second}}}; ExportError when an
    export fails."""
    segment = f"first_{people}" if people else segment or largest_segment(con, base.name)
    scratch = out or Path(tempfile.mkdtemp(prefix="bench_export_"))
    figures = {"segment": segment, "destination": base.name, "formats": {}}
    try:
        for file_format in FORMATS:
            destination = dataclasses.replace(base, file_format=file_format, zip=False, max_file_mb=10_000)
            best, manifest = None, None
            for _ in range(repeat):
                shutil.rmtree(scratch / base.name, ignore_errors=True)
                started = time.perf_counter()
                if people:
                    manifest = write_first_people(con, destination, people, scratch / base.name)
                else:
                    manifest = export_segment(
                        con, destination, segment, scratch, incremental=False, invocation_id=None, progress=False
                    )
                seconds = time.perf_counter() - started
                best = seconds if best is None else min(best, seconds)
            figures["formats"][file_format] = {
                "rows": manifest["row_count"],
                "columns": 1 + len(destination.tags),
                "bytes": sum(file["bytes"] for file in manifest["files"]),
                "seconds": round(best, 2),
                "rows_per_second": round(manifest["row_count"] / best),
            }
    finally:
        if out is None:
            shutil.rmtree(scratch, ignore_errors=True)
    return figures
