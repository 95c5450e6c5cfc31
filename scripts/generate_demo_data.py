#!/usr/bin/env python3
"""Generate the Portrait demo data set (raw sources + ground truth).

Example:
    python scripts/generate_demo_data.py --customers 20000 --seed 42 --out data/demo
"""

import argparse
import datetime as dt
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cli import ArgumentParser, positive_int  # noqa: E402
from datagen import FORMATS, generate  # noqa: E402


def _int(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None


def _date(text):
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def main(argv=None):
    p = ArgumentParser(description="Generate Portrait demo data (raw sources and ground truth).")
    p.add_argument("--customers", type=positive_int, default=20000, help="number of people (default 20000)")
    p.add_argument("--seed", type=_int, default=42, help="random seed (default 42)")
    p.add_argument("--out", default="data/demo", help="output directory (default data/demo)")
    p.add_argument("--start", type=_date, default=dt.date(2024, 1, 1), help="first day (default 2024-01-01)")
    p.add_argument("--end", type=_date, default=dt.date(2026, 9, 30), help="last day (default 2026-09-30)")
    p.add_argument(
        "--format", choices=FORMATS, default="mixed", help="file format: mixed (default), csv, jsonl or parquet"
    )
    args = p.parse_args(argv)
    if args.end < args.start:
        p.error(f"--end {args.end} is before --start {args.start}")
    if not 0 <= args.seed < 2**63:
        p.error(f"--seed must be between 0 and 2^63-1, got {args.seed}")

    t0 = time.time()
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
        progress=lambda msg: print(msg, flush=True),
    )
    import json

    with open(os.path.join(args.out, "ground_truth", "noise_summary.json"), encoding="utf-8") as fh:
        summary = json.load(fh)["sources"]
    print("Summary:")
    for source, rows in counts.items():
        print(f"  {source:<22} rows={rows:>10,}  files={len(summary[source]['files'])}")
    print(
        f"Total {sum(counts.values()):,} raw rows in {time.time() - t0:.1f}s; "
        f"ground truth in {os.path.join(args.out, 'ground_truth')}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
