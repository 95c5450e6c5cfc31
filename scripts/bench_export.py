"""Export throughput to CSV and to Parquet with a destination's identifiers and tags (default
bi_generic: one_id and its tags), best of --repeat runs; prints JSON with rows, bytes, seconds and
rows per second per format. Either a full export of one segment (default: the largest), or with
--people N the files of an audience of the first N people of the destination (the same query and
writers, no segment needed: a segment of that size may not exist). Reads the database read-only."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import warehouse
from activation import export, spec
from activation.export import ExportError, export_segment
from cli import ArgumentParser, positive_int


def write_first_people(con, destination, people: int, folder: Path) -> dict:
    """The files of an audience of the destination's first `people` people (by one_id)."""
    folder.mkdir(parents=True)
    tags = "".join(f", profile.{export._quoted(tag)}" for tag in destination.tags)
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
        written += export._write_rows(
            con, "current_rows", columns, destination, identifier.id_type, stem, folder, False
        )
    files = [{"bytes": file.bytes} for file in written]
    return {"row_count": sum(file.rows for file in written), "files": files}


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="DuckDB file (default: $PORTRAIT_DB_PATH or build/portrait.duckdb)")
    parser.add_argument("--segment", help="segment code (default: the largest segment)")
    parser.add_argument("--destination", default="bi_generic", help="destination whose spec is timed")
    parser.add_argument("--people", type=positive_int, help="time the files of the first N people instead")
    parser.add_argument("--repeat", type=positive_int, default=1, help="runs per format; the best counts")
    parser.add_argument("--out", type=Path, help="scratch export folder (default: a temporary folder)")
    args = parser.parse_args(argv)
    try:
        con = warehouse.connect(warehouse.database_path(args.db))
        destinations = spec.load_destinations(con)
    except (spec.SpecError, warehouse.WarehouseError) as error:
        print(f"bench_export: {error}", file=sys.stderr)
        return 1
    if args.destination not in destinations:
        parser.error(f"unknown destination '{args.destination}'; known: {', '.join(destinations)}")
    segment = (
        f"first_{args.people}"
        if args.people
        else args.segment
        or con.execute(
            "select segment_code from activation.segment_reach where destination = ? and not is_refused"
            " order by identifiers_written desc limit 1",
            [args.destination],
        ).fetchone()[0]
    )
    base = destinations[args.destination]
    out = args.out or Path(tempfile.mkdtemp(prefix="bench_export_"))
    figures = {"segment": segment, "destination": args.destination, "formats": {}}
    try:
        for file_format in ("csv", "parquet"):
            destination = dataclasses.replace(base, file_format=file_format, zip=False, max_file_mb=10_000)
            best = None
            for _ in range(args.repeat):
                shutil.rmtree(out / args.destination, ignore_errors=True)
                started = time.perf_counter()
                if args.people:
                    manifest = write_first_people(con, destination, args.people, out / args.destination)
                else:
                    manifest = export_segment(
                        con, destination, segment, out, incremental=False, invocation_id=None, progress=False
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
    except ExportError as error:
        print(f"bench_export: {error}", file=sys.stderr)
        return 1
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
