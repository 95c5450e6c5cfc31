"""`portrait export`: segment audiences to activation destinations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portrait import warehouse
from portrait.activation import audiences, spec
from portrait.commands.options import HelpFormatter, comma_list


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "export",
        help="export segment audiences to activation destinations",
        description=audiences.__doc__,
        formatter_class=HelpFormatter,
        parents=[shared.database, shared.target],
    )
    parser.add_argument(
        "--segments",
        type=comma_list,
        metavar="CODES",
        help="segment codes, comma-separated (default: every active segment but suppression segments)",
    )
    parser.add_argument(
        "--destinations", type=comma_list, metavar="NAMES", help="destinations, comma-separated (default: all)"
    )
    parser.add_argument(
        "--out", type=Path, default=Path("exports"), metavar="FOLDER", help="export folder (default: exports)"
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="write the identifiers added and removed since the last export of each segment to each destination",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    parser.set_defaults(parser=parser, handler=run)


def run(args: argparse.Namespace) -> int:
    """Exit code 1 when an export failed or nothing was exported, or when a segment and destination
    both named on the command line are refused (a refusal among all pairs is reported, not a failure)."""
    con = warehouse.connect(warehouse.database_path(args.db))
    destinations = spec.load_destinations(con)
    segments = audiences.active_segments(con)
    targeted = [code for code, segment_type in segments if segment_type != "suppression"]
    try:
        chosen_destinations = audiences.choose(args.destinations, list(destinations), list(destinations), "destination")
        chosen_segments = audiences.choose(args.segments, [code for code, _ in segments], targeted, "segment")
    except audiences.SelectionError as error:
        args.parser.error(str(error))
    outcomes = audiences.export_audiences(
        con,
        [destinations[name] for name in chosen_destinations],
        chosen_segments,
        args.out,
        incremental=args.incremental,
        invocation_id=audiences.invocation_id(args.target),
        progress=not args.no_progress,
    )
    failed = exported = 0
    print(f"{'segment':<32} {'destination':<14} {'mode':<12} {'rows':>9} {'files':>5}  folder")
    for outcome in outcomes:
        if outcome.refused:
            print(f"{args.parser.prog}: refused: {outcome.refused}", file=sys.stderr)
            failed += bool(args.segments and args.destinations)  # a pair asked for by name was not written
        elif outcome.failed:
            print(f"{args.parser.prog}: {outcome.segment} to {outcome.destination}: {outcome.failed}", file=sys.stderr)
            failed += 1
        else:
            manifest = outcome.manifest
            exported += 1
            print(
                f"{outcome.segment:<32} {outcome.destination:<14} {manifest['mode']:<12} {manifest['row_count']:>9,}"
                f" {len(manifest['files']):>5}  {manifest['folder']}"
            )
    return 1 if failed or not exported else 0
