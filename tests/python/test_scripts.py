"""Command-line behaviour of the report scripts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from dbt_runner import ROOT


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, check=False)


def test_summary_reports_layers_accounting_and_quarantine_reasons(demo_build):
    result = run_script("scripts/summary.py", "--db", str(demo_build.work_dir / "portrait.duckdb"))
    assert result.returncode == 0, result.stderr
    assert "stg_crm__members" in result.stdout
    assert "quarantined rows by reason" in result.stdout
    accounted = demo_build.query(
        "select sum(row_count) from staging.staging_row_counts where source_name = 'pos_orders'"
    )[0][0]
    pos_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("pos_orders "))
    assert f"{accounted:,}" in pos_line


def test_summary_without_a_database_prints_one_line_and_fails(tmp_path):
    result = run_script("scripts/summary.py", "--db", str(tmp_path / "missing.duckdb"))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not exist" in result.stderr


def test_bench_rejects_a_bad_scale_with_one_line():
    result = run_script("scripts/bench.py", "--customers", "lots")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "bench.py: error: argument --customers: expected a positive whole number, got 'lots'"
    ]


def test_bench_tags_times_the_tag_models_against_one_event_scan(demo_build):
    result = run_script(
        "scripts/bench_tags.py",
        "--db",
        str(demo_build.work_dir / "portrait.duckdb"),
        "--target",
        str(demo_build.work_dir / "target"),
        "--repeat",
        "1",
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    tags = demo_build.query("select count(*) from tags.tag_definitions where status != 'retired'")[0][0]
    assert figures["tags"] == tags and figures["events"] > 0
    assert figures["all_tags_seconds"] == pytest.approx(sum(figures["tag_models_seconds"].values()), abs=0.01)


def test_bench_tags_without_compiled_models_prints_one_line_and_fails(demo_build, tmp_path):
    db = str(demo_build.work_dir / "portrait.duckdb")
    result = run_script("scripts/bench_tags.py", "--db", db, "--target", str(tmp_path))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "does not exist" in result.stderr
