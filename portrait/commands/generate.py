"""`portrait generate`: the demo data set (raw sources and ground truth)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from portrait.commands.options import HelpFormatter, iso_date, positive_int, seed_number
from portrait.datagen import FORMATS, generate
from portrait.datagen.pipeline import DEFAULT_CHUNK_SIZE, GenerateError
from portrait.datagen.streams import BLOCK

DESCRIPTION = """Generate the Portrait demo data set: the raw source files of a fictional beauty
brand under <out>/raw/, and the ground truth (who each row belongs to, what noise it carries)
under <out>/ground_truth/. People are generated --chunk-size at a time, so memory does not grow
with --customers. The same arguments always give byte-identical files, whatever the chunk size
(Parquet files: the same rows in the same order).

--next-day adds the day after the last one in <out> (generated with the same --customers,
--seed, --start, --end and --format): new files raw/<source>/<name>_<day>.<ext>, the products
file replaced by the day's export, the ground truth brought to that day. Build it with
dbt's var as_of set to that day.

examples:
  portrait generate --customers 20000 --seed 42 --out data/demo
  portrait generate --customers 20000 --seed 42 --out data/demo --next-day"""


def chunk_size(text: str) -> int:
    """People per chunk: a whole number from one block of people (an argparse type)."""
    expected = f"a whole number of people from {BLOCK:,}"
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
    if value < BLOCK:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {value}")
    return value


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "generate",
        help="generate the demo data set (raw sources and ground truth)",
        description=DESCRIPTION,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--customers", type=positive_int, default=20000, metavar="N", help="number of people (default 20000)"
    )
    parser.add_argument("--seed", type=seed_number, default=42, help="random seed (default 42)")
    parser.add_argument("--out", default="data/demo", metavar="FOLDER", help="output directory (default data/demo)")
    parser.add_argument(
        "--start", type=iso_date, default=dt.date(2024, 1, 1), metavar="DATE", help="first day (default 2024-01-01)"
    )
    parser.add_argument(
        "--end", type=iso_date, default=dt.date(2026, 9, 30), metavar="DATE", help="last day (default 2026-09-30)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="mixed", help="file format: mixed (default), csv, jsonl or parquet"
    )
    parser.add_argument(
        "--chunk-size",
        type=chunk_size,
        default=DEFAULT_CHUNK_SIZE,
        metavar="N",
        help=f"people generated at a time, rounded down to whole blocks of {BLOCK:,} "
        f"(default {DEFAULT_CHUNK_SIZE:,}; about 1.7 GB of memory)",
    )
    parser.add_argument(
        "--next-day",
        action="store_true",
        help="add the day after the last one in --out to that data set instead of generating a new one",
    )
    parser.set_defaults(parser=parser, handler=run)


def run(args: argparse.Namespace) -> int:
    """Generates the data set with progress lines, then rows and files per source."""
    if args.end < args.start:
        args.parser.error(f"--end {args.end} is before --start {args.start}")
    started = time.time()
    what = "Adding the next day to the data set of" if args.next_day else "Generating"
    print(
        f"{what} {args.customers:,} customers, seed {args.seed}, {args.start}..{args.end}, "
        f"format {args.format} -> {args.out}",
        flush=True,
    )
    try:
        counts = generate(
            args.customers,
            args.seed,
            args.out,
            args.start.isoformat(),
            args.end.isoformat(),
            args.format,
            progress=lambda message: print(message, flush=True),
            chunk_size=args.chunk_size,
            next_day=args.next_day,
        )
    except GenerateError as error:
        args.parser.error(str(error))
    ground_truth = Path(args.out) / "ground_truth"
    summary = json.loads((ground_truth / "noise_summary.json").read_text(encoding="utf-8"))
    day = summary["generator"]["through"]
    print(f"Summary of the rows of {day}:" if args.next_day else "Summary:")
    for source, rows in counts.items():
        files = [name for name in summary["sources"][source]["files"] if not args.next_day or day in name]
        print(f"  {source:<22} rows={rows:>10,}  files={len(files)}")
    print(f"Total {sum(counts.values()):,} raw rows in {time.time() - started:.1f}s; ground truth in {ground_truth}")
    return 0
