"""Benchmark: generate data at a scale, run `dbt build`, report time per model, rows and peak memory.

Writes build/bench/<customers>/report.json and report.md.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from portrait import warehouse
from portrait.bench import BenchError, identity_quality
from portrait.bench import components as bench_components
from portrait.bench import tags as bench_tags
from portrait.project import PROJECT_DIR, dbt_executable

# Runs a command and prints its peak resident memory (KiB) as the last line of stderr.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_measured(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """Runs a command (output to `log`); returns wall seconds and peak memory in MiB."""
    started = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.run(
            [sys.executable, "-c", _MEASURE, *command],
            check=False,
            env=env,
            cwd=PROJECT_DIR,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
        )
    seconds = time.perf_counter() - started
    *messages, peak_kib = proc.stderr.strip().splitlines() or ["0"]
    if proc.returncode != 0:
        raise BenchError(f"`{' '.join(command)}` failed (exit {proc.returncode}); see {log}\n" + "\n".join(messages))
    return seconds, int(peak_kib) / 1024


def model_timings(run_results: Path) -> list[dict]:
    """{node, status, seconds} of every model in a dbt run_results.json, slowest first."""
    results = json.loads(run_results.read_text())["results"]
    timings = [
        {"node": r["unique_id"], "status": r["status"], "seconds": round(r["execution_time"], 3)}
        for r in results
        if r["unique_id"].startswith("model.")
    ]
    return sorted(timings, key=lambda t: t["seconds"], reverse=True)


def default_out_dir(customers: int) -> Path:
    """build/bench/<customers> in the project folder."""
    return PROJECT_DIR / "build" / "bench" / str(customers)


def run_benchmark(customers: int, seed: int, out_dir: Path, threads: int, graph_edges: int, chain: int) -> dict:
    """Generates `customers` people with `seed` into out_dir/data, builds them with `threads` dbt
    threads into out_dir/portrait.duckdb, and returns the report: wall seconds and peak memory
    (MiB) per step, rows per layer and model, seconds per model, OneID against the ground truth,
    the tag benchmark, and the components benchmark on `graph_edges` edges and a `chain`-node path
    (None when graph_edges is 0). BenchError when a step fails (its log is named)."""
    data_dir, target_dir, db_path = out_dir / "data", out_dir / "target", out_dir / "portrait.duckdb"
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(target_dir),
        "DBT_LOG_PATH": str(out_dir / "logs"),
        "PORTRAIT_RAW_DIR": str(data_dir / "raw"),
        "PORTRAIT_DB_PATH": str(db_path),
        "PORTRAIT_TEMP_DIR": str(out_dir / "tmp"),
        "PORTRAIT_THREADS": str(threads),
    }
    generate = [sys.executable, "-m", "portrait", "generate", "--customers", str(customers), "--seed", str(seed)]
    generate_seconds, generate_mib = run_measured([*generate, "--out", str(data_dir)], env, out_dir / "generate.log")
    build_seconds, build_mib = run_measured([dbt_executable(), "build"], env, out_dir / "dbt_build.log")
    with warehouse.connect(db_path) as con:
        layers = warehouse.layer_row_counts(con)
        accounting = warehouse.staging_row_accounting(con)
        identity = identity_figures(con, data_dir / "ground_truth")
    tags = bench_tags.run(db_path, target_dir / "compiled")
    return {
        "customers": customers,
        "seed": seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "threads": threads},
        "generate": {"seconds": round(generate_seconds, 1), "peak_memory_mib": round(generate_mib)},
        "dbt_build": {"seconds": round(build_seconds, 1), "peak_memory_mib": round(build_mib)},
        "raw_rows": sum(row[1] for row in accounting),
        "rows_per_layer": {layer: sum(models.values()) for layer, models in layers.items()},
        "rows_per_model": layers,
        "model_timings": model_timings(target_dir / "run_results.json"),
        "identity": identity,
        "tags": tags,
        "model_scores": layer_timings(target_dir, "models/scores/"),
        "connected_components": bench_components.run(graph_edges, chain, seed) if graph_edges else None,
    }


def layer_timings(target_dir: Path, folder: str) -> list[dict]:
    """Seconds of the models under `folder` in the last run (fitting and scoring for models/scores)."""
    nodes = json.loads((target_dir / "manifest.json").read_text())["nodes"]
    in_folder = {key for key, node in nodes.items() if node.get("original_file_path", "").startswith(folder)}
    return [timing for timing in model_timings(target_dir / "run_results.json") if timing["node"] in in_folder]


def identity_figures(con, ground_truth_dir: Path) -> dict:
    """OneID quality against the ground truth and the shape of the last resolution."""
    columns = ["clusters", "singletons", "largest_cluster_identifiers", "hubs", "limited_edges", "component_iterations"]
    row = con.execute(
        f"select {', '.join(columns)} from identity.identity_run_summary order by resolved_at desc limit 1"
    ).fetchall()[0]
    scores = identity_quality.score(con, ground_truth_dir)
    return {**dict(zip(columns, row, strict=True)), **{key: round(value, 5) for key, value in scores.items()}}


def format_markdown(report: dict) -> str:
    """The report as Markdown (report.md)."""
    lines = [
        f"# Benchmark: {report['customers']:,} customers",
        "",
        f"Machine: {report['machine']['cpus']} CPUs, Python {report['machine']['python']}, "
        f"{report['machine']['threads']} dbt threads.",
        "",
        "| step | wall time (s) | peak memory (MiB) |",
        "| --- | ---: | ---: |",
        f"| generate data | {report['generate']['seconds']} | {report['generate']['peak_memory_mib']} |",
        f"| dbt build | {report['dbt_build']['seconds']} | {report['dbt_build']['peak_memory_mib']} |",
        "",
        f"Raw rows: {report['raw_rows']:,}",
        "",
        "| layer | rows |",
        "| --- | ---: |",
        *[f"| {layer} | {rows:,} |" for layer, rows in report["rows_per_layer"].items()],
        "",
        "OneID against the ground truth (pairwise, identifiers of one person):",
        "",
        "| figure | value |",
        "| --- | ---: |",
        *[f"| {key} | {value} |" for key, value in report["identity"].items()],
        "",
        *tags_markdown(report["tags"]),
        "Model scores (fitting and scoring):",
        "",
        "| model | seconds |",
        "| --- | ---: |",
        *[f"| {t['node'].split('.')[-1]} | {t['seconds']} |" for t in report["model_scores"]],
        "",
        *components_markdown(report["connected_components"]),
        "Slowest models:",
        "",
        "| model | seconds |",
        "| --- | ---: |",
        *[f"| {t['node'].split('.')[-1]} | {t['seconds']} |" for t in report["model_timings"][:15]],
    ]
    return "\n".join(lines) + "\n"


def tags_markdown(figures: dict) -> list[str]:
    """The tag benchmark's table lines."""
    return [
        f"Tag build ({figures['tags']} tags, fused per source) against one grouped scan of "
        f"{figures['events']:,} events, best of 3 runs each:",
        "",
        "| query | seconds |",
        "| --- | ---: |",
        f"| one grouped scan of customer_events | {figures['one_event_scan_seconds']} |",
        *[f"| {model} | {seconds} |" for model, seconds in figures["tag_models_seconds"].items()],
        f"| all tags | {figures['all_tags_seconds']} |",
        f"| all tags / one scan | {figures['all_tags_over_one_scan']} |",
        "",
    ]


def components_markdown(figures: dict | None) -> list[str]:
    """The components benchmark's table lines (none when it was skipped)."""
    if not figures:
        return []
    return [
        "connected_components macro on a synthetic graph, against scipy in the same run:",
        "",
        "| figure | value |",
        "| --- | ---: |",
        *[f"| {key} | {value} |" for key, value in figures.items() if not isinstance(value, dict)],
        "",
    ]


def write_report(report: dict, out_dir: Path) -> str:
    """Writes out_dir/report.json and out_dir/report.md; returns the Markdown."""
    (out_dir / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    markdown = format_markdown(report)
    (out_dir / "report.md").write_text(markdown)
    return markdown
