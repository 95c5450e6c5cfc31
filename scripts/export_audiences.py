"""Exports segment audiences to activation destinations (WeCom, SMS, Tencent Ads, Ocean Engine, BI):
full or incremental files with a manifest per export, from a built Portrait database (read-only)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import warehouse
from activation import spec
from activation.export import ExportError, Refused, export_segment
from cli import ArgumentParser


def comma_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def build_parser() -> ArgumentParser:
    parser = ArgumentParser(description=__doc__)
    parser.add_argument(
        "--segments",
        type=comma_list,
        help="segment codes, comma-separated (default: every active segment but suppression segments)",
    )
    parser.add_argument("--destinations", type=comma_list, help="destinations, comma-separated (default: all)")
    parser.add_argument("--out", type=Path, default=Path("exports"), help="export folder (default: exports)")
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="write the identifiers added and removed since the last export of each segment to each destination",
    )
    parser.add_argument("--db", help="DuckDB file (default: $PORTRAIT_DB_PATH or build/portrait.duckdb)")
    parser.add_argument(
        "--target",
        type=Path,
        default=Path("target"),
        help="dbt target folder with the run_results.json of the build (default: target)",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    return parser


def invocation_id(target: Path) -> str | None:
    """The dbt invocation that built the database, from run_results.json (None when it is missing)."""
    try:
        return json.loads((target / "run_results.json").read_text(encoding="utf-8"))["metadata"]["invocation_id"]
    except (OSError, ValueError, KeyError):
        return None


def choose(requested: list[str] | None, known: list[str], default: list[str], what: str, parser) -> list[str]:
    if requested is None:
        return default
    if not requested:
        parser.error(f"--{what}s names no {what}")
    unknown = [name for name in requested if name not in known]
    if unknown:
        parser.error(f"unknown {what} '{unknown[0]}'; known: {', '.join(known)}")
    return list(dict.fromkeys(requested))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        con = warehouse.connect(warehouse.database_path(args.db))
        destinations = spec.load_destinations(con)
    except (warehouse.WarehouseError, spec.SpecError) as error:
        print(f"export_audiences: {error}", file=sys.stderr)
        return 1
    chosen_destinations = choose(args.destinations, list(destinations), list(destinations), "destination", parser)
    segments = con.execute(
        "select segment_code, segment_type from segments.segment_definitions where status = 'active' order by 1"
    ).fetchall()
    targeted = [code for code, segment_type in segments if segment_type != "suppression"]
    chosen_segments = choose(args.segments, [code for code, _ in segments], targeted, "segment", parser)
    build = invocation_id(args.target)
    failed = exported = 0
    print(f"{'segment':<32} {'destination':<14} {'mode':<12} {'rows':>9} {'files':>5}  folder")
    for destination_name in chosen_destinations:
        destination = destinations[destination_name]
        for segment in chosen_segments:
            try:
                manifest = export_segment(
                    con,
                    destination,
                    segment,
                    args.out,
                    incremental=args.incremental,
                    invocation_id=build,
                    progress=not args.no_progress,
                )
            except Refused as refusal:
                print(f"export_audiences: refused: {refusal}", file=sys.stderr)
                continue
            except (ExportError, OSError) as error:
                print(f"export_audiences: {segment} to {destination_name}: {error}", file=sys.stderr)
                failed += 1
                continue
            exported += 1
            print(
                f"{segment:<32} {destination_name:<14} {manifest['mode']:<12} {manifest['row_count']:>9,}"
                f" {len(manifest['files']):>5}  {manifest['folder']}"
            )
    return 1 if failed or not exported else 0


if __name__ == "__main__":
    sys.exit(main())
