"""The same build on Apache Spark: `dbt build --target spark` (dbt-spark's session method, Spark
in local mode in the dbt process) on the raw files a DuckDB benchmark has just built, timed beside
it. Its warehouse, metastore and dbt artefacts go to out_dir/spark, out_dir/target_spark and
out_dir/logs_spark; the log to out_dir/dbt_build_spark.log.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from portrait.bench import BenchError, layers
from portrait.bench.full import bench_env, run_measured
from portrait.project import dbt_executable, spark_settings


def spark_env(out_dir: Path, threads: int) -> dict[str, str]:
    """bench_env for `--target spark`: Spark's warehouse in out_dir/spark/warehouse (its Derby
    metastore beside it), `threads` local cores, Portrait's Python for the script transformations."""
    return {
        **bench_env(out_dir, threads),
        **spark_settings(out_dir / "spark" / "warehouse"),
        "DBT_TARGET_PATH": str(out_dir / "target_spark"),
        "DBT_LOG_PATH": str(out_dir / "logs_spark"),
    }


# The packages of requirements-spark.txt, by the module each provides.
_REQUIRED = {"pyspark": "pyspark", "dbt-spark": "dbt.adapters.spark"}


def check_installed() -> None:
    """BenchError, saying how to install them, when dbt-spark, pyspark or Java is missing."""
    missing = [package for package, module in _REQUIRED.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise BenchError(
            f"--spark needs dbt-spark and pyspark ({', '.join(missing)} missing): run `make install-spark`"
        )
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise BenchError("--spark needs Java 17 (java is not on PATH and JAVA_HOME is not set)")


def run(out_dir: Path, threads: int, duckdb_seconds: float) -> dict:
    """`dbt build --target spark` of out_dir's raw files (a fresh warehouse); returns {seconds (wall,
    Spark's start-up included), duckdb_seconds, ratio_to_duckdb (Spark seconds / DuckDB seconds),
    driver_memory (Spark's setting), layers (`layers.layer_seconds`)}. No peak memory: the JVM
    that pyspark starts is not a child the measuring process waits for, so getrusage misses it.
    BenchError when the build fails (its log is named)."""
    shutil.rmtree(out_dir / "spark", ignore_errors=True)
    seconds, _ = run_measured([dbt_executable(), "build"], spark_env(out_dir, threads), out_dir / "dbt_build_spark.log")
    return {
        "seconds": round(seconds, 1),
        "driver_memory": os.environ.get("PORTRAIT_SPARK_DRIVER_MEMORY", "4g"),
        "duckdb_seconds": duckdb_seconds,
        "ratio_to_duckdb": round(seconds / duckdb_seconds, 2),
        "layers": layers.layer_seconds(*layers.load(out_dir / "target_spark")),
    }
