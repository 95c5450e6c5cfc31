"""`portrait generate`: the demo data set (raw sources and ground truth)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from pathlib import Path

from portrait.commands.options import HelpFormatter, iso_date, positive_int, seed_number
from portrait.datagen import FORMATS, generate

DESCRIPTION = """Generate the Portrait demo data set: the raw source files of a fictional beauty
brand under <out>/raw/, and the ground truth (who each row belongs to, what noise it carries)
under <out>/ground_truth/. The same arguments always give byte-identical files.

example:
  portrait generate --customers 20000 --seed 42 --out data/demo"""


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
    parser.set_defaults(parser=parser, handler=run)


def run(args: argparse.Namespace) -> int:
    """Generates the data set with progress lines, then rows and files per source."""
    if args.end < args.start:
        args.parser.error(f"--end {args.end} is before --start {args.start}")
    started = time.time()
    print(
        f"Generating {args.customers:,} customers, seed {args.seed}, {args.start}..{args.end}, "
        f"format {args.format} -> {args.out}",
        flush=True,
    )
    counts = generate(
        args.customers,
        args.seed,
        args.out,
        args.start.isoformat(),
        args.end.isoformat(),
        args.format,
        progress=lambda message: print(message, flush=True),
    )
    ground_truth = Path(args.out) / "ground_truth"
    files = json.loads((ground_truth / "noise_summary.json").read_text(encoding="utf-8"))["sources"]
    print("Summary:")
    for source, rows in counts.items():
        print(f"  {source:<22} rows={rows:>10,}  files={len(files[source]['files'])}")
    print(f"Total {sum(counts.values()):,} raw rows in {time.time() - started:.1f}s; ground truth in {ground_truth}")
    return 0
