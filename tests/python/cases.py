"""Real-world input cases (tests/data/cases/<case>/, see its README): a case's raw folder built
with `dbt build` at the cases' as_of, and queries against the result."""

from __future__ import annotations

from pathlib import Path

import duckdb
from dbt_runner import ROOT, DbtRun, run_dbt

CASES_DIR = ROOT / "tests" / "data" / "cases"
CASE_AS_OF = "2024-06-30"


class CaseBuild:
    """One case's raw folder built into its own DuckDB file under work_dir."""

    def __init__(self, raw_dir: Path, work_dir: Path, run: DbtRun):
        self.raw_dir = raw_dir
        self.work_dir = work_dir
        self.run = run

    def query(self, sql: str, parameters: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.work_dir / "portrait.duckdb"), read_only=True) as con:
            return con.execute(sql, parameters or []).fetchall()

    def scalar(self, sql: str, parameters: list | None = None):
        rows = self.query(sql, parameters)
        return rows[0][0] if rows else None


def build_raw(raw_dir: Path, work_dir: Path, args: list[str] | None = None) -> CaseBuild:
    """`dbt build` (or `args`) over any raw folder at the cases' as_of."""
    run = run_dbt([*(args or ["build"]), "--vars", f"{{as_of: '{CASE_AS_OF}'}}"], raw_dir, work_dir)
    return CaseBuild(raw_dir, work_dir, run)


def build_case(case: str, work_dir: Path, variant: str = "raw") -> CaseBuild:
    """Builds tests/data/cases/<case>/<variant> (e.g. '02-gbk-encoded-export', 'raw_mixed')."""
    return build_raw(CASES_DIR / case / variant, work_dir)
