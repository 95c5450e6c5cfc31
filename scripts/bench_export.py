"""Export throughput: one segment (default: the largest) exported to CSV and to Parquet with the
bi_generic destination's identifiers and tags, full export, best of --repeat runs; prints JSON with
rows, seconds and rows per second per format. Reads the database read-only; writes into --out."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import warehouse
from activation import spec
from activation.export import ExportError, check_built_destination, export_segment
from cli import ArgumentParser, positive_int


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="DuckDB file (default: $PORTRAIT_DB_PATH or build/portrait.duckdb)")
    parser.add_argument("--target", type=Path, default=Path("target"), help="dbt target folder (default: target)")
    parser.add_argument("--segment", help="segment code (default: the largest segment)")
    parser.add_argument("--destination", default="bi_generic", help="destination whose spec is timed")
    parser.add_argument("--repeat", type=positive_int, default=1, help="runs per format; the best counts")
    parser.add_argument("--out", type=Path, help="scratch export folder (default: a temporary folder)")
    args = parser.parse_args(argv)
    try:
        destinations = spec.load_destinations(args.target)
        con = warehouse.connect(warehouse.database_path(args.db))
    except (spec.SpecError, warehouse.WarehouseError) as error:
        print(f"bench_export: {error}", file=sys.stderr)
        return 1
    if args.destination not in destinations:
        parser.error(f"unknown destination '{args.destination}'; known: {', '.join(destinations)}")
    segment = (
        args.segment
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
        check_built_destination(con, base)
        for file_format in ("csv", "parquet"):
            destination = dataclasses.replace(base, file_format=file_format, zip=False, max_file_mb=10_000)
            best = None
            for _ in range(args.repeat):
                shutil.rmtree(out / args.destination, ignore_errors=True)
                started = time.perf_counter()
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
