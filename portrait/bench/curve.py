"""The scaling curve: the full benchmark at several sizes, one table of how the build grows.

Runs `full.run_benchmark` at each size, smallest first, into <out>/<customers>/ (each with its own
report.json and report.md; the connected_components benchmark only at the first size, as it does
not depend on the data), and writes <out>/curve.json and <out>/curve.md after every size: people
generated, raw rows landed, the build's wall seconds, microseconds per raw row and peak memory,
and the limit beside them.
"""

from __future__ import annotations

import json
from pathlib import Path

from portrait.bench import full


def parse_sizes(text: str) -> list[int]:
    """'100000, 1000000' -> [100000, 1000000], sorted; ValueError (a one-line message) unless the
    text is comma-separated whole numbers from 1, each once."""
    items = [item.strip() for item in text.split(",")]
    if not text.strip() or not all(item.isdigit() and int(item) > 0 for item in items):
        raise ValueError(f"expected comma-separated positive whole numbers, got {text!r}")
    sizes = [int(item) for item in items]
    repeated = sorted({size for size in sizes if sizes.count(size) > 1})
    if repeated:
        raise ValueError(f"each size once: {', '.join(map(str, repeated))} given twice")
    return sorted(sizes)


def curve_row(report: dict) -> dict:
    """One point of the curve from a full report: {customers, raw_rows, build_seconds,
    microseconds_per_raw_row, peak_memory_mib, limit_seconds, landing_staging_over_limit}."""
    return {
        "customers": report["customers"],
        "raw_rows": report["raw_rows"],
        "build_seconds": report["dbt_build"]["seconds"],
        "microseconds_per_raw_row": report["ratios"]["microseconds_per_raw_row"]["value"],
        "peak_memory_mib": report["dbt_build"]["peak_memory_mib"],
        "limit_seconds": report["limit"]["seconds"],
        "landing_staging_over_limit": report["ratios"]["landing_staging_over_limit"]["value"],
    }


def format_markdown(rows: list[dict], threads: int) -> str:
    """The curve as Markdown (curve.md)."""
    lines = [
        "# Scaling curve",
        "",
        f"`dbt build` at each size, {threads} threads; the limit is DuckDB reading the same raw files alone.",
        "",
        "| customers | raw rows | build (s) | µs per raw row | peak (MiB) | limit (s) | landing + staging / limit |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {r['customers']:,} | {r['raw_rows']:,} | {r['build_seconds']} | {r['microseconds_per_raw_row']} | "
            f"{r['peak_memory_mib']:,} | {r['limit_seconds']} | {r['landing_staging_over_limit']} |"
            for r in rows
        ],
    ]
    return "\n".join(lines) + "\n"


def run_curve(
    sizes: list[int], seed: int, out_dir: Path, threads: int, graph_edges: int, chain: int, echo=print
) -> list[dict]:
    """The full benchmark at each of `sizes` (customers, ascending) with `seed` and `threads` dbt
    threads into out_dir/<customers>/; the components benchmark (`graph_edges` edges, a
    `chain`-node path) at the first size only. Writes out_dir/curve.json and curve.md after each
    size, calls `echo` with a line per size done, and returns the rows (`curve_row`). BenchError
    when a step fails (the sizes done are kept)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    for position, customers in enumerate(sizes):
        size_dir = out_dir / str(customers)
        report = full.run_benchmark(customers, seed, size_dir, threads, graph_edges if position == 0 else 0, chain)
        full.write_report(report, size_dir)
        rows.append(curve_row(report))
        curve = {"seed": seed, "threads": threads, "sizes": sizes, "rows": rows}
        (out_dir / "curve.json").write_text(json.dumps(curve, indent=2) + "\n")
        (out_dir / "curve.md").write_text(format_markdown(rows, threads))
        row = rows[-1]
        echo(
            f"{customers:,} customers: {row['raw_rows']:,} raw rows, build {row['build_seconds']} s, "
            f"{row['microseconds_per_raw_row']} µs per raw row, peak {row['peak_memory_mib']:,} MiB "
            f"(report: {size_dir / 'report.md'})"
        )
    return rows
