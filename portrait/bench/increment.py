"""The incremental step: a second `dbt build` of a built benchmark after a day's raw files arrive.

Copies an increment's raw files (a folder laid out like the raw folder, <increment>/<source>/...,
or a data folder holding raw/) into the benchmark's raw folder, then runs `dbt build` with the
dbt var `as_of` set to the increment's day, and reports its wall time against the full build's.
A file already there with the same bytes is left alone; one with other bytes is replaced (a
source exported whole each day, such as products). In the second build only the new and changed
files are landed and staged (the base staging models are incremental); the layers after staging
are rebuilt from all staged rows (only the project's other incremental models merge), and the
report says so.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import json
import shutil
from pathlib import Path

from portrait import warehouse
from portrait.bench import BenchError, layers
from portrait.bench.full import bench_env, run_measured
from portrait.project import dbt_executable
from portrait.raw_files import file_format, list_raw_files, list_raw_folders


def increment_raw_dir(increment_dir: Path) -> Path:
    """The folder of source folders in an increment: increment_dir/raw when it exists, else increment_dir."""
    return increment_dir / "raw" if (increment_dir / "raw").is_dir() else increment_dir


def increment_files(increment_dir: Path) -> tuple[Path, list[Path]]:
    """The folder of source folders in an increment (`increment_raw_dir`) and its data files
    (CSV, JSON Lines, Parquet) in source folders, sorted. BenchError when it holds none."""
    source_dir = increment_raw_dir(increment_dir)
    folders = list_raw_folders(str(source_dir))
    if folders is None:
        raise BenchError(f"increment folder {increment_dir} does not exist")
    files = [Path(path) for folder in folders for path in list_raw_files(str(source_dir / folder)) if file_format(path)]
    if not files:
        raise BenchError(
            f"increment folder {source_dir} holds no CSV, JSON Lines or Parquet file in a source folder"
            " (<source>/<file>)"
        )
    return source_dir, files


def copy_increment(increment_dir: Path, raw_dir: Path) -> dict:
    """Copies the data files of an increment (`increment_files`) into raw_dir, keeping their paths
    below the source folder; returns {copied, replaced, unchanged} file counts. BenchError when the
    increment holds no data file or a folder that is not a source folder of raw_dir (nothing is
    copied then)."""
    source_dir, files = increment_files(increment_dir)
    known = set(list_raw_folders(str(raw_dir)) or [])
    unknown = sorted({path.relative_to(source_dir).parts[0] for path in files} - known)
    if unknown:
        raise BenchError(
            f"increment folder {source_dir} holds {', '.join(unknown)}, not source folders of {raw_dir}"
            f" (sources: {', '.join(sorted(known))})"
        )
    counts = {"copied": 0, "replaced": 0, "unchanged": 0}
    for path in files:
        target = raw_dir / path.relative_to(source_dir)
        if target.exists() and filecmp.cmp(path, target, shallow=False):
            counts["unchanged"] += 1
            continue
        counts["replaced" if target.exists() else "copied"] += 1
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return counts


def run_increment_build(
    out_dir: Path, increment_dir: Path, as_of: dt.date | str, threads: int, full_build_seconds: float | None = None
) -> dict:
    """The incremental step on the benchmark built in out_dir (by `full.run_benchmark`): copies the
    increment's raw files into out_dir/data/raw, runs `dbt build --vars '{as_of: <as_of>}'` into
    the same database (dbt artefacts in out_dir/target_increment, log in
    out_dir/dbt_build_increment.log) and returns {as_of, increment, files: {copied, replaced,
    unchanged}, raw_rows_before, raw_rows_after, seconds (wall), peak_memory_mib,
    full_build_seconds, ratio_to_full_build, kind, incremental_models, layers (`layers.layer_seconds`)}.
    full_build_seconds defaults to the one in out_dir/report.json. BenchError when the benchmark
    is not built or a step fails."""
    db_path, raw_dir = out_dir / "portrait.duckdb", out_dir / "data" / "raw"
    if not db_path.is_file() or not raw_dir.is_dir():
        raise BenchError(
            f"{out_dir} holds no built benchmark (portrait.duckdb and data/raw): run `portrait bench` first"
        )
    if full_build_seconds is None:
        report = out_dir / "report.json"
        if not report.is_file():
            raise BenchError(f"{report} does not exist: give the full build's seconds")
        full_build_seconds = json.loads(report.read_text())["dbt_build"]["seconds"]
    as_of = str(as_of)
    with warehouse.connect(db_path) as con:
        rows_before = sum(row[1] for row in warehouse.staging_row_accounting(con))
    files = copy_increment(increment_dir, raw_dir)
    target_dir = out_dir / "target_increment"
    env = {**bench_env(out_dir, threads), "DBT_TARGET_PATH": str(target_dir)}
    command = [dbt_executable(), "build", "--vars", json.dumps({"as_of": as_of})]
    seconds, peak_mib = run_measured(command, env, out_dir / "dbt_build_increment.log")
    with warehouse.connect(db_path) as con:
        rows_after = sum(row[1] for row in warehouse.staging_row_accounting(con))
    run_results, manifest = layers.load(target_dir)
    incremental = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node.get("resource_type") == "model" and node.get("config", {}).get("materialized") == "incremental"
    )
    return {
        "as_of": as_of,
        "increment": str(increment_dir),
        "files": files,
        "raw_rows_before": rows_before,
        "raw_rows_after": rows_after,
        "seconds": round(seconds, 1),
        "peak_memory_mib": round(peak_mib),
        "full_build_seconds": full_build_seconds,
        "ratio_to_full_build": round(seconds / full_build_seconds, 2) if full_build_seconds else None,
        "kind": "new and changed raw files landed and staged; the layers after staging rebuilt from all "
        f"staged rows; {len(incremental)} incremental models merge",
        "incremental_models": incremental,
        "layers": layers.layer_seconds(run_results, manifest),
    }
