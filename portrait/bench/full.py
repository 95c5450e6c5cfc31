"""Benchmark: generate data at a scale, run `dbt build`, and report, side by side: DuckDB alone
reading the same raw files (the limit), model seconds per layer and test seconds, the build's wall
time and peak memory, their ratios to the targets, rows per layer and model, OneID against the
ground truth, the tag build and the connected_components macro.

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
from portrait.bench import BenchError, identity_quality, layers
from portrait.bench import components as bench_components
from portrait.bench import limit as bench_limit
from portrait.bench import tags as bench_tags
from portrait.project import PROJECT_DIR, dbt_executable

# Runs a command and prints its peak resident memory (KiB) as the last line of stderr.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)

# Targets the ratios are read against: landing + staging at most twice the limit, the whole build
# within three minutes, in 16 GiB.
LIMIT_RATIO_TARGET = 2.0
BUILD_SECONDS_TARGET = 180.0
MEMORY_MIB_TARGET = 16 * 1024


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


def bench_env(out_dir: Path, threads: int) -> dict[str, str]:
    """The environment of the benchmark's dbt commands: raw files in out_dir/data/raw, database
    out_dir/portrait.duckdb, dbt artefacts in out_dir/target and logs in out_dir/logs, `threads`
    dbt threads."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(out_dir / "target"),
        "DBT_LOG_PATH": str(out_dir / "logs"),
        "PORTRAIT_RAW_DIR": str(out_dir / "data" / "raw"),
        "PORTRAIT_DB_PATH": str(out_dir / "portrait.duckdb"),
        "PORTRAIT_TEMP_DIR": str(out_dir / "tmp"),
        "PORTRAIT_THREADS": str(threads),
    }


def run_benchmark(customers: int, seed: int, out_dir: Path, threads: int, graph_edges: int, chain: int) -> dict:
    """Generates `customers` people with `seed` into out_dir/data, builds them with `threads` dbt
    threads into out_dir/portrait.duckdb, reads the same raw files with DuckDB alone into
    out_dir/limit.duckdb, and returns the report: wall seconds and peak memory (MiB) per step, the
    limit (`limit.run`), node seconds per layer (`layers.layer_seconds`), the ratios
    (`ratios`), rows per layer and model, seconds per model, OneID against the ground truth, the
    tag benchmark, and the components benchmark on `graph_edges` edges and a `chain`-node path
    (None when graph_edges is 0). BenchError when a step fails (its log is named)."""
    data_dir, target_dir, db_path = out_dir / "data", out_dir / "target", out_dir / "portrait.duckdb"
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path.unlink(missing_ok=True)
    env = bench_env(out_dir, threads)
    generate = [sys.executable, "-m", "portrait", "generate", "--customers", str(customers), "--seed", str(seed)]
    generate_seconds, generate_mib = run_measured([*generate, "--out", str(data_dir)], env, out_dir / "generate.log")
    build_seconds, build_mib = run_measured([dbt_executable(), "build"], env, out_dir / "dbt_build.log")
    with warehouse.connect(db_path) as con:
        layer_rows = warehouse.layer_row_counts(con)
        accounting = warehouse.staging_row_accounting(con)
        identity = identity_figures(con, data_dir / "ground_truth")
    limit = bench_limit.run(
        data_dir / "raw",
        out_dir / "limit.duckdb",
        threads,
        env.get("PORTRAIT_MEMORY_LIMIT", "8GB"),
        out_dir / "tmp",
    )
    tags = bench_tags.run(db_path, target_dir / "compiled")
    report = {
        "customers": customers,
        "seed": seed,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "threads": threads},
        "generate": {"seconds": round(generate_seconds, 1), "peak_memory_mib": round(generate_mib)},
        "dbt_build": {"seconds": round(build_seconds, 1), "peak_memory_mib": round(build_mib)},
        "raw_rows": sum(row[1] for row in accounting),
        "limit": limit,
        "layers": layers.layer_seconds(*layers.load(target_dir)),
        "rows_per_layer": {layer: sum(models.values()) for layer, models in layer_rows.items()},
        "rows_per_model": layer_rows,
        "model_timings": model_timings(target_dir / "run_results.json"),
        "identity": identity,
        "tags": tags,
        "model_scores": layer_timings(target_dir, "models/scores/"),
        "connected_components": bench_components.run(graph_edges, chain, seed) if graph_edges else None,
    }
    report["ratios"] = ratios(report)
    return report


def ratios(report: dict) -> dict:
    """The report's ratios, each {compares, numerator, denominator, value (numerator / denominator;
    None when a figure is missing), target (None: a figure to follow, no target), met (None without
    a target or a value)}:

    landing_staging_over_limit  landing hook + staging model seconds, summed / the limit's wall seconds
    build_wall_over_target      the dbt build's wall seconds / 180 s
    components_over_scipy       connected_components macro seconds / scipy seconds, same graph (the
                                components benchmark's ratio_to_scipy, from unrounded seconds;
                                None when it was skipped)
    build_memory_over_16gib     the dbt build's peak RSS in MiB / 16,384 MiB
    microseconds_per_raw_row    the dbt build's wall microseconds / raw rows landed
    """
    build, limit = report["dbt_build"], report["limit"]
    components = report.get("connected_components") or {}
    figures = {
        "landing_staging_over_limit": (
            "landing + staging model seconds (summed) / DuckDB reading the raw files alone (wall seconds)",
            report["layers"]["landing_plus_staging"],
            limit["seconds"],
            LIMIT_RATIO_TARGET,
        ),
        "build_wall_over_target": (
            f"dbt build wall seconds / {BUILD_SECONDS_TARGET:g} s",
            build["seconds"],
            BUILD_SECONDS_TARGET,
            1.0,
        ),
        "components_over_scipy": (
            "connected_components macro / scipy on the same random graph (wall seconds)",
            components.get("macro_seconds"),
            components.get("scipy_seconds"),
            bench_components.GOALS["ratio_to_scipy"],
        ),
        "build_memory_over_16gib": (
            "dbt build peak RSS / 16 GiB (MiB)",
            build["peak_memory_mib"],
            MEMORY_MIB_TARGET,
            1.0,
        ),
        "microseconds_per_raw_row": (
            "dbt build wall microseconds / raw rows landed",
            round(build["seconds"] * 1e6),
            report["raw_rows"],
            None,
        ),
    }
    result = {}
    for name, (compares, numerator, denominator, target) in figures.items():
        value = numerator / denominator if numerator is not None and denominator else None
        if name == "components_over_scipy":
            value = components.get("ratio_to_scipy")
        result[name] = {
            "compares": compares,
            "numerator": numerator,
            "denominator": denominator,
            "value": None if value is None else round(value, 3 if value < 10 else 1),
            "target": target,
            "met": None if value is None or target is None else value <= target,
        }
    return result


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
        *ratios_markdown(report["ratios"]),
        *limit_markdown(report["limit"], report["raw_rows"]),
        *layers_markdown(report["layers"], report["dbt_build"]["seconds"], report["machine"]["threads"]),
        *increment_markdown(report.get("increment")),
        *spark_markdown(report.get("spark"), report["layers"]),
        "## Details",
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


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:,}"


def ratios_markdown(ratios: dict) -> list[str]:
    """The ratios' table lines: what each compares, the two figures, the value and its target."""
    met = {True: "yes", False: "**no**", None: ""}
    lines = [
        "## Ratios",
        "",
        "| ratio | compares | figures | value | target | met |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for name, figure in ratios.items():
        figures = f"{_number(figure['numerator'])} / {_number(figure['denominator'])}"
        target = "" if figure["target"] is None else f"≤ {figure['target']:g}"
        lines.append(
            f"| {name} | {figure['compares']} | {figures} | {_number(figure['value'])} | {target} | "
            f"{met[figure['met']]} |"
        )
    return [*lines, ""]


def limit_markdown(limit: dict, raw_rows: int) -> list[str]:
    """The limit's lines: totals, then one table line per source folder and format."""
    columns = sum(table["columns"] for table in limit["tables"])
    typed = sum(table["typed_columns"] for table in limit["tables"])
    return [
        "## The limit: DuckDB reading the raw files alone",
        "",
        f"{limit['files']} files ({limit['bytes'] / 2**20:,.1f} MiB) read into {len(limit['tables'])} tables "
        f"({typed} of {columns} columns typed other than VARCHAR) with {limit['threads']} threads: "
        f"**{limit['seconds']} s** wall, {limit['rows']:,} rows (the build landed {raw_rows:,} raw rows).",
        "",
        "| table | files | rows | typed / columns | seconds |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[
            f"| {t['table']} | {t['files']} | {t['rows']:,} | {t['typed_columns']} / {t['columns']} | {t['seconds']} |"
            for t in limit["tables"]
        ],
        "",
    ]


def layers_markdown(figures: dict, build_seconds: float, threads: int) -> list[str]:
    """The per-layer lines: node seconds summed per layer and for the tests, then the wall times."""
    tests = figures["tests"]
    return [
        "## Time per layer",
        "",
        f"Node seconds from run_results.json, summed. dbt runs up to {threads} nodes at once, so the sums "
        "exceed the wall time.",
        "",
        "| layer | nodes | seconds (summed) |",
        "| --- | ---: | ---: |",
        f"| landing (on-run-start hook) | 1 | {_number(figures['landing_hook'])} |",
        f"| staging models | {figures['layers']['staging']['models']} | {figures['layers']['staging']['seconds']} |",
        f"| **landing + staging** | | **{figures['landing_plus_staging']}** |",
        *[
            f"| {layer} | {values['models']} | {values['seconds']} |"
            for layer, values in figures["layers"].items()
            if layer != "staging"
        ],
        f"| all models | {sum(v['models'] for v in figures['layers'].values())} | {figures['models']} |",
        f"| data tests | {tests['data_tests']['nodes']} | {tests['data_tests']['seconds']} |",
        f"| unit tests | {tests['unit_tests']['nodes']} | {tests['unit_tests']['seconds']} |",
        f"| **tests** | {tests['data_tests']['nodes'] + tests['unit_tests']['nodes']} | **{tests['seconds']}** |",
        f"| seeds | | {figures['seeds']} |",
        f"| every node | | {figures['nodes']} |",
        "",
        "| wall time | seconds |",
        "| --- | ---: |",
        f"| dbt start-up (loading and parsing, before the first node) | {_number(figures['startup'])} |",
        "| landing + staging, from the hook's start to the last staging model's end (other nodes run in"
        f" between) | {_number(figures.get('landing_plus_staging_span'))} |",
        f"| dbt's elapsed time (first node to last) | {figures['dbt_elapsed']} |",
        f"| **dbt build**, the whole process | **{build_seconds}** |",
        "",
    ]


def increment_markdown(figures: dict | None) -> list[str]:
    """The incremental step's lines (none when it did not run)."""
    if not figures:
        return []
    files = figures["files"]
    return [
        "## Incremental step",
        "",
        f"A second `dbt build` with as_of {figures['as_of']} after copying {files['copied']} new and "
        f"{files['replaced']} replaced raw files ({files['unchanged']} unchanged) from {figures['increment']}: "
        f"**{figures['seconds']} s** wall, peak {figures['peak_memory_mib']} MiB, "
        f"{_number(figures['ratio_to_full_build'])} × the full build ({figures['full_build_seconds']} s); raw rows "
        f"{figures['raw_rows_before']:,} → {figures['raw_rows_after']:,}. What it does: {figures['kind']}.",
        "",
    ]


def spark_markdown(figures: dict | None, duckdb_layers: dict) -> list[str]:
    """The Spark build's lines beside DuckDB's (none when it did not run)."""
    if not figures:
        return []
    spark_layers = figures["layers"]
    return [
        "## The same build on Spark",
        "",
        f"`dbt build --target spark` (Spark local, session method) of the same raw files: **{figures['seconds']} s** "
        f"wall (driver memory {figures['driver_memory']}), **{figures['ratio_to_duckdb']} ×** DuckDB's "
        f"{figures['duckdb_seconds']} s in the same run.",
        "",
        "| layer | DuckDB (s, summed) | Spark (s, summed) |",
        "| --- | ---: | ---: |",
        f"| landing (on-run-start hook) | {_number(duckdb_layers['landing_hook'])} "
        f"| {_number(spark_layers['landing_hook'])} |",
        *[
            f"| {layer} | {values['seconds']} | {spark_layers['layers'].get(layer, {}).get('seconds', '–')} |"
            for layer, values in duckdb_layers["layers"].items()
        ],
        f"| tests | {duckdb_layers['tests']['seconds']} | {spark_layers['tests']['seconds']} |",
        f"| dbt start-up | {_number(duckdb_layers['startup'])} | {_number(spark_layers['startup'])} |",
        "",
    ]


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
