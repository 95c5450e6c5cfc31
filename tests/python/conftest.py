"""Shared fixtures: small generated data sets and dbt builds over them (built once per session)."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dbt_runner import DbtRun, run_dbt

from portrait import datagen

# Spark (tests marked spark) runs Portrait's own Python as script transformations with
# $PORTRAIT_PYTHON: the Python running the tests, which has the package.
os.environ.setdefault("PORTRAIT_PYTHON", sys.executable)
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

TEST_CUSTOMERS = 1500
TEST_SEED = 7


@dataclass
class Build:
    data_dir: Path
    work_dir: Path
    run: DbtRun

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def ground_truth_dir(self) -> Path:
        return self.data_dir / "ground_truth"

    def noise_summary(self) -> dict[str, dict[str, int]]:
        """Noise the generator injected: source -> noise kind -> rows."""
        summary = json.loads((self.ground_truth_dir / "noise_summary.json").read_text())
        return {source: details["noise"] for source, details in summary["sources"].items()}

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.work_dir / "portrait.duckdb"), read_only=True)

    def query(self, sql: str) -> list[tuple]:
        with self.connect() as con:
            return con.execute(sql).fetchall()


def generate(base: Path, file_format: str = "mixed", customers: int = TEST_CUSTOMERS) -> Path:
    data_dir = base / "data"
    datagen.generate(
        customers=customers,
        seed=TEST_SEED,
        out_dir=data_dir,
        start="2024-01-01",
        end="2026-09-30",
        file_format=file_format,
    )
    return data_dir


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> Build:
    """The whole project built (`dbt build`: models, data tests, unit tests) on mixed-format data."""
    base = tmp_path_factory.mktemp("demo")
    data_dir = generate(base)
    run = run_dbt(["build"], data_dir / "raw", base / "work")
    return Build(data_dir=data_dir, work_dir=base / "work", run=run)
