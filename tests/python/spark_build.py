"""Builds the project on Spark (dbt-spark, session method, local mode) in a subprocess, and exports
its relations as Parquet files the tests read with DuckDB (no JVM in the test process: the embedded
metastore admits one process at a time)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from portrait.project import PROJECT_DIR, dbt_executable, spark_settings

# Reads every relation of the listed schemas from the Spark warehouse and writes each as
# <out>/<schema>.<name>.parquet (views too: they hold no files of their own).
_EXPORT = """
import sys
from pyspark.sql import SparkSession
warehouse, out, schemas = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
spark = (
    SparkSession.builder.master('local[1]').config('spark.ui.enabled', 'false')
    .config('spark.sql.warehouse.dir', warehouse)
    .config(
        'spark.hadoop.javax.jdo.option.ConnectionURL',
        f'jdbc:derby:;databaseName={warehouse}/../metastore_db;create=true',
    )
    .config('spark.sql.session.timeZone', 'UTC').config('spark.sql.timestampType', 'TIMESTAMP_NTZ')
    .enableHiveSupport().getOrCreate()
)
for schema in schemas:
    if not spark.catalog.databaseExists(schema):
        continue
    for table in spark.catalog.listTables(schema):
        spark.table(f'{schema}.{table.name}').coalesce(1).write.mode('overwrite').parquet(f'{out}/{schema}.{table.name}.parquet')
"""


def spark_environment(raw_dir: Path, work_dir: Path) -> dict[str, str]:
    """The environment of a Spark build in work_dir (warehouse, metastore, dbt artefacts and logs)."""
    return {
        **os.environ,
        **spark_settings(work_dir / "spark" / "warehouse"),
        "PORTRAIT_RAW_DIR": str(raw_dir),
        "PORTRAIT_THREADS": "1",
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(work_dir / "target"),
        "DBT_LOG_PATH": str(work_dir / "logs"),
    }


def spark_build(args: list[str], raw_dir: Path, work_dir: Path) -> subprocess.CompletedProcess:
    """`dbt <args> --target spark` in the project folder; output captured (text)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [dbt_executable(), *args],
        cwd=PROJECT_DIR,
        env=spark_environment(raw_dir, work_dir),
        capture_output=True,
        text=True,
        check=False,
    )


def export_relations(work_dir: Path, schemas: list[str]) -> Path:
    """Every relation of `schemas` in the Spark build of work_dir as Parquet files; their folder."""
    out = work_dir / "export"
    subprocess.run(
        [sys.executable, "-c", _EXPORT, str(work_dir / "spark" / "warehouse"), str(out), ",".join(schemas)],
        env=spark_environment(work_dir, work_dir),
        check=True,
        capture_output=True,
    )
    return out
