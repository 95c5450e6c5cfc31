"""Command-line behaviour of `portrait`: the command tree, one-line errors for bad arguments and
user mistakes, the reports on a built database, and the old script paths."""

from __future__ import annotations

import json

import duckdb
import pytest
from portrait_command import run_portrait, run_script

from portrait.bench import identity_quality

COMMANDS = ("generate", "build", "export", "summary", "explain", "quality", "bench", "serve", "users")


def test_help_lists_every_command_with_a_description():
    result = run_portrait("--help")
    assert result.returncode == 0, result.stderr
    listed = {}
    for line in result.stdout.splitlines():
        words = line.split()
        if len(words) > 1 and line.startswith("    ") and words[0] in COMMANDS:
            listed[words[0]] = " ".join(words[1:])
    assert sorted(listed) == sorted(COMMANDS), result.stdout
    assert all(listed.values())


@pytest.mark.parametrize(
    "command",
    [*COMMANDS, "explain identity", "explain segment", "quality identity", "bench tags", "bench components",
     "bench export", "bench workbench", "users add", "users remove", "users list"],
)  # fmt: skip
def test_every_command_has_help(command):
    result = run_portrait(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: portrait {command}")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "portrait: error: the following arguments are required: <command>"),
        (["nope"], "portrait: error: argument <command>: invalid choice: 'nope'"),
        (["--bogus"], "portrait: error: unrecognized arguments: --bogus"),
        (["summary", "--bogus"], "portrait summary: error: unrecognized arguments: --bogus"),
        (["generate", "--customers", "0"], "portrait generate: error: argument --customers: expected a positive"),
        (["generate", "--seed", "-1"], "portrait generate: error: argument --seed: expected a whole number from 0"),
        (["generate", "--start", "2024-02-30"], "portrait generate: error: argument --start: not a date"),
        (["generate", "--start", "2025-01-01", "--end", "2024-12-31"], "portrait generate: error: --end 2024-12-31"),
        (["generate", "--format", "xml"], "portrait generate: error: argument --format: invalid choice: 'xml'"),
        (["export", "--incremental=yes"], "portrait export: error: argument --incremental: ignored explicit"),
        (["explain"], "portrait explain: error: the following arguments are required: <what>"),
        (["explain", "identity"], "portrait explain identity: error: the following arguments are required"),
        (["explain", "identity", "M1"], "portrait explain identity: error: argument identifier_a: 'M1' is not"),
        (["explain", "segment", "vip"], "portrait explain segment: error: the following arguments are required"),
        (["quality"], "portrait quality: error: the following arguments are required: <what>"),
        (["quality", "identity", "--bogus"], "portrait quality identity: error: unrecognized arguments: --bogus"),
        (["bench", "--customers", "lots"], "portrait bench: error: argument --customers: expected a positive"),
        (["bench", "nope"], "portrait bench: error: argument [<part>]: invalid choice: 'nope'"),
        (["bench", "--customers", "10", "tags"], "portrait bench tags: error: options of the full benchmark"),
        (["bench", "tags", "--repeat", "0"], "portrait bench tags: error: argument --repeat: expected a positive"),
        (["bench", "components", "--edges", "x"], "portrait bench components: error: argument --edges: expected"),
        (["bench", "export", "--people", "-3"], "portrait bench export: error: argument --people: expected"),
    ],
)
def test_a_bad_argument_prints_one_line_and_exits_2(args, expected):
    result = run_portrait(*args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(expected), result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        ("summary", []),
        ("export", []),
        ("explain identity", ["member_id:M1"]),
        ("explain segment", ["vip", "OID1"]),
        ("quality identity", []),
        ("bench export", []),
    ],
)
def test_a_missing_database_prints_one_line_and_fails(tmp_path, command, arguments):
    missing = tmp_path / "missing.duckdb"
    result = run_portrait(*command.split(), *arguments, "--db", str(missing))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"portrait {command}: database {missing} does not exist: build it first (`portrait build`, or `make demo`"
        " for demo data)"
    ]


def test_a_database_without_the_models_read_prints_one_line(tmp_path):
    database = tmp_path / "empty.duckdb"
    duckdb.connect(str(database)).close()
    result = run_portrait("explain", "segment", "vip", "OID1", "--db", str(database))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and "build the whole project first" in result.stderr, result.stderr


def test_summary_reports_layers_accounting_and_quarantine_reasons(demo_build):
    result = run_portrait("summary", "--db", str(demo_build.work_dir / "portrait.duckdb"))
    assert result.returncode == 0, result.stderr
    assert "stg_crm__members" in result.stdout
    assert "quarantined rows by reason" in result.stdout
    accounted = demo_build.query(
        "select sum(row_count) from staging.staging_row_counts where source_name = 'pos_orders'"
    )[0][0]
    pos_line = next(line for line in result.stdout.splitlines() if line.strip().startswith("pos_orders "))
    assert f"{accounted:,}" in pos_line


def test_the_old_script_path_runs_the_command(demo_build):
    database = str(demo_build.work_dir / "portrait.duckdb")
    old = run_script("scripts/summary.py", "--db", database)
    assert old.returncode == 0, old.stderr
    assert old.stdout == run_portrait("summary", "--db", database).stdout
    bad = run_script("scripts/bench.py", "--customers", "lots")
    assert bad.returncode == 2
    assert bad.stderr.splitlines() == [
        "portrait bench: error: argument --customers: expected a positive whole number, got 'lots'"
    ]


def test_quality_identity_scores_the_build_against_the_ground_truth(demo_build):
    database = str(demo_build.work_dir / "portrait.duckdb")
    result = run_portrait("quality", "identity", "--db", database, "--ground-truth", str(demo_build.ground_truth_dir))
    assert result.returncode == 0, result.stderr
    printed = {name: float(value.replace(",", "")) for name, value in map(str.split, result.stdout.splitlines())}
    with demo_build.connect() as con:
        scores = identity_quality.score(con, demo_build.ground_truth_dir)
    assert printed == pytest.approx(scores, abs=5e-6)
    missing = run_portrait("quality", "identity", "--db", database, "--ground-truth", str(demo_build.data_dir))
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1
    assert "identifiers.parquet does not exist" in missing.stderr


def test_bench_tags_times_the_tag_models_against_one_event_scan(demo_build):
    result = run_portrait(
        "bench",
        "tags",
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
    result = run_portrait("bench", "tags", "--db", db, "--target", str(tmp_path))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "does not exist" in result.stderr
