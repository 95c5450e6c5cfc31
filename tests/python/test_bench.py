"""portrait.bench: node seconds per layer, the limit, the ratios, the curve's arguments and the
incremental step's file copy. No dbt build: hand-made run_results/manifest pairs and tiny raw folders."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import duckdb
import pytest
from portrait_command import run_portrait

from portrait.bench import BenchError, curve, full, increment, layers, limit


def _result(unique_id: str, seconds: float, started: float = 20.0) -> dict:
    """A run_results entry that started `started` seconds after dbt and ran `seconds`."""
    start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=started)
    end = start + dt.timedelta(seconds=seconds)
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
    return {
        "unique_id": unique_id,
        "status": "success",
        "execution_time": seconds,
        "timing": [{"name": "execute", "started_at": start.strftime(stamp), "completed_at": end.strftime(stamp)}],
    }


RUN_RESULTS = {
    "metadata": {"invocation_started_at": "2026-10-01T00:00:00Z"},
    "elapsed_time": 30.5,
    "results": [
        _result("operation.portrait.portrait-on-run-start-0", 2.5, 12.25),
        _result("seed.portrait.identifier_types", 0.25),
        _result("model.portrait.base_crm__members", 4.0, 14.75),
        _result("model.portrait.stg_crm__members", 0.5, 18.75),
        _result("model.portrait.identifier_edges", 3.0),
        _result("model.portrait.customer_profile", 1.5),
        _result("model.portrait.campaign_results", 2.0),
        _result("model.portrait.loose_model", 0.75),
        _result("test.portrait.not_null_customer_profile_one_id.abc", 0.5),
        _result("test.portrait.assert_no_lost_rows", 1.25),
        _result("unit_test.portrait.base_crm__members.normalises_phones", 0.125),
        _result("exposure.portrait.sms", 0.0),
    ],
}
MANIFEST = {
    "nodes": {
        "model.portrait.base_crm__members": {"original_file_path": "models/staging/crm/base_crm__members.sql"},
        "model.portrait.stg_crm__members": {"original_file_path": "models/staging/crm/stg_crm__members.sql"},
        "model.portrait.identifier_edges": {"original_file_path": "models/identity/identifier_edges.sql"},
        "model.portrait.customer_profile": {"original_file_path": "models/tags/customer_profile.sql"},
        "model.portrait.campaign_results": {"original_file_path": "models/campaigns/campaign_results.sql"},
        "model.portrait.loose_model": {"original_file_path": "models/loose_model.sql"},
        "test.portrait.assert_no_lost_rows": {"original_file_path": "tests/staging/assert_no_lost_rows.sql"},
    }
}


def test_layer_seconds_sums_models_per_folder_and_tests_apart():
    figures = layers.layer_seconds(RUN_RESULTS, MANIFEST)
    assert figures["landing_hook"] == 2.5
    assert figures["layers"] == {
        "staging": {"models": 2, "seconds": 4.5},
        "identity": {"models": 1, "seconds": 3.0},
        "customers": {"models": 0, "seconds": 0.0},
        "scores": {"models": 0, "seconds": 0.0},
        "tags": {"models": 1, "seconds": 1.5},
        "segments": {"models": 0, "seconds": 0.0},
        "activation": {"models": 0, "seconds": 0.0},
        "campaigns": {"models": 1, "seconds": 2.0},
        "other": {"models": 1, "seconds": 0.75},
    }
    assert list(figures["layers"])[:8] == list(layers.LAYERS)
    assert figures["landing_plus_staging"] == 7.0  # 2.5 hook + 4.0 + 0.5
    assert figures["landing_plus_staging_span"] == 7.0  # from 12.25 s (the hook) to 19.25 s (stg ends)
    assert figures["models"] == 11.75  # 4.0 + 0.5 + 3.0 + 1.5 + 2.0 + 0.75
    assert figures["seeds"] == 0.25
    assert figures["tests"] == {
        "data_tests": {"nodes": 2, "seconds": 1.75},
        "unit_tests": {"nodes": 1, "seconds": 0.125},
        "seconds": 1.875,
    }
    assert figures["nodes"] == 16.375  # 2.5 + 0.25 + 11.75 + 1.875
    assert figures["dbt_elapsed"] == 30.5
    assert figures["startup"] == 12.25  # the hook, the first node, starts 12.25 s after dbt


def test_layer_seconds_without_a_hook_or_timestamps():
    run_results = {"results": [{"unique_id": "model.portrait.identifier_edges", "execution_time": 3.0}]}
    figures = layers.layer_seconds(run_results, MANIFEST)
    assert figures["landing_hook"] is None
    assert figures["landing_plus_staging"] == 0.0
    assert figures["layers"]["identity"] == {"models": 1, "seconds": 3.0}
    assert figures["startup"] is None and figures["landing_plus_staging_span"] is None


def _write_raw(raw):
    """A tiny raw folder in every format; returns the rows Python's own readers see per table."""
    members = [
        ["member_id", "name", "points"],
        ["M1", "Li, Na", "10"],
        ["M2", 'say "hi"', "20"],
        ["M3", "", "30"],
    ]
    (raw / "crm_members").mkdir(parents=True)
    with (raw / "crm_members" / "members.csv").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file, lineterminator="\n").writerows(members)
    (raw / "crm_members" / "2026-10").mkdir()
    with (raw / "crm_members" / "2026-10" / "day1.CSV").open("w", newline="", encoding="utf-8") as file:
        csv.writer(file, lineterminator="\n").writerows([members[0], ["M4", "王芳", "40"]])
    (raw / "crm_members" / "notes.txt").write_text("not a data file\n")
    orders = [{"order_id": f"O{i}", "amount": i * 1.5, "buyer": None if i % 2 else "B"} for i in range(5)]
    (raw / "ecommerce_orders").mkdir()
    (raw / "ecommerce_orders" / "jd_orders.jsonl").write_text("".join(json.dumps(o) + "\n" for o in orders))
    events = [(f"E{i}", f"2026-09-{i % 28 + 1:02d}") for i in range(7)]
    (raw / "app_events").mkdir()
    with duckdb.connect() as con:
        con.execute("create table events (event_id varchar, event_date varchar)")
        con.executemany("insert into events values (?, ?)", events)
        for part in (1, 2):
            con.execute(f"copy events to '{raw / 'app_events' / f'part{part}.parquet'}' (format parquet)")
    (raw / "empty_source").mkdir()

    def csv_rows(path):
        return len(list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))) - 1  # less the header

    parquet_rows = [len(events), len(events)]
    try:
        import pyarrow.parquet  # not a project dependency: checked when present

        parquet_rows = [pyarrow.parquet.read_metadata(raw / "app_events" / f"part{p}.parquet").num_rows for p in (1, 2)]
    except ImportError:
        pass
    return {
        "app_events__parquet": sum(parquet_rows),
        "crm_members__csv": csv_rows(raw / "crm_members" / "members.csv")
        + csv_rows(raw / "crm_members" / "2026-10" / "day1.CSV"),
        "ecommerce_orders__jsonl": sum(
            1 for line in (raw / "ecommerce_orders" / "jd_orders.jsonl").read_text().splitlines() if json.loads(line)
        ),
    }


def test_the_limit_reads_every_raw_file_into_one_table_per_source_and_format(tmp_path):
    expected = _write_raw(tmp_path / "raw")
    assert expected == {"app_events__parquet": 14, "crm_members__csv": 4, "ecommerce_orders__jsonl": 5}
    figures = limit.run(tmp_path / "raw", tmp_path / "limit.duckdb", threads=1, memory_limit="1GB")
    assert {table["table"]: table["rows"] for table in figures["tables"]} == expected
    assert figures["rows"] == sum(expected.values())
    assert {table["table"]: table["files"] for table in figures["tables"]} == {
        "app_events__parquet": 2,
        "crm_members__csv": 2,
        "ecommerce_orders__jsonl": 1,
    }
    assert figures["files"] == 5 and figures["threads"] == 1 and figures["seconds"] > 0
    with duckdb.connect(str(tmp_path / "limit.duckdb"), read_only=True) as con:
        assert con.execute("select name, points from crm_members__csv order by member_id").fetchall() == [
            ("Li, Na", 10),
            ('say "hi"', 20),
            (None, 30),
            ("王芳", 40),
        ]
        types = dict(con.execute("select column_name, column_type from (describe ecommerce_orders__jsonl)").fetchall())
    assert types["amount"] == "DOUBLE"
    members = next(table for table in figures["tables"] if table["table"] == "crm_members__csv")
    assert (members["columns"], members["typed_columns"]) == (3, 1)


def test_the_limit_starts_from_a_fresh_database(tmp_path):
    _write_raw(tmp_path / "raw")
    database = tmp_path / "limit.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute("create table crm_members__csv as select 1 as stale")
    figures = limit.run(tmp_path / "raw", database, threads=1, memory_limit="1GB")
    assert figures["rows"] == 23


def test_the_limit_without_raw_files_fails_with_a_message(tmp_path):
    with pytest.raises(BenchError, match="does not exist"):
        limit.run(tmp_path / "missing", tmp_path / "limit.duckdb", threads=1)
    (tmp_path / "raw" / "crm_members").mkdir(parents=True)
    with pytest.raises(BenchError, match="holds no CSV"):
        limit.run(tmp_path / "raw", tmp_path / "limit.duckdb", threads=1)


def _report(**changes) -> dict:
    report = {
        "dbt_build": {"seconds": 90.0, "peak_memory_mib": 4096},
        "limit": {"seconds": 2.5},
        "layers": {"landing_plus_staging": 7.5},
        "raw_rows": 300_000,
        "connected_components": {"macro_seconds": 6.0, "scipy_seconds": 0.5, "ratio_to_scipy": 12.0},
    }
    return {**report, **changes}


def test_ratios_name_what_they_compare_and_their_targets():
    ratios = full.ratios(_report())
    assert {name: figure["value"] for name, figure in ratios.items()} == {
        "landing_staging_over_limit": 3.0,  # 7.5 / 2.5
        "build_wall_over_target": 0.5,  # 90 / 180
        "components_over_scipy": 12.0,  # its own ratio_to_scipy
        "build_memory_over_16gib": 0.25,  # 4096 / 16384
        "microseconds_per_raw_row": 300.0,  # 90e6 / 300,000
    }
    assert {name: figure["met"] for name, figure in ratios.items()} == {
        "landing_staging_over_limit": False,
        "build_wall_over_target": True,
        "components_over_scipy": False,
        "build_memory_over_16gib": True,
        "microseconds_per_raw_row": None,
    }
    assert all(figure["compares"] for figure in ratios.values())
    assert (ratios["microseconds_per_raw_row"]["numerator"], ratios["microseconds_per_raw_row"]["denominator"]) == (
        90_000_000,
        300_000,
    )
    skipped = full.ratios(_report(connected_components=None))["components_over_scipy"]
    assert (skipped["value"], skipped["met"]) == (None, None)


def test_the_summary_sections_come_first_in_the_markdown(tmp_path):
    _write_raw(tmp_path / "raw")
    report = _report(
        customers=10,
        machine={"cpus": 2, "python": "3.11", "threads": 2},
        generate={"seconds": 1.0, "peak_memory_mib": 100},
        limit=limit.run(tmp_path / "raw", tmp_path / "limit.duckdb", threads=1),
        layers=layers.layer_seconds(RUN_RESULTS, MANIFEST),
        rows_per_layer={"staging": 23},
        identity={"precision": 1.0},
        tags={"tags": 1, "events": 2, "one_event_scan_seconds": 0.1, "tag_models_seconds": {}, "all_tags_seconds": 0.1,
              "all_tags_over_one_scan": 1.0},
        model_scores=[],
        model_timings=[],
        connected_components=None,
    )  # fmt: skip
    report["ratios"] = full.ratios(report)
    headings = [line for line in full.format_markdown(report).splitlines() if line.startswith("## ")]
    assert headings == [
        "## Ratios",
        "## The limit: DuckDB reading the raw files alone",
        "## Time per layer",
        "## Details",
    ]
    report["increment"] = {
        "as_of": "2026-10-01",
        "increment": "next_day",
        "files": {"copied": 3, "replaced": 1, "unchanged": 0},
        "raw_rows_before": 23,
        "raw_rows_after": 30,
        "seconds": 45.0,
        "peak_memory_mib": 400,
        "full_build_seconds": 90.0,
        "ratio_to_full_build": 0.5,
        "kind": "full rebuild",
    }
    markdown = full.format_markdown(report)
    assert "## Incremental step" in markdown and "0.5 × the full build (90.0 s)" in markdown
    report["spark"] = {
        "seconds": 270.0,
        "driver_memory": "4g",
        "duckdb_seconds": 90.0,
        "ratio_to_duckdb": 3.0,
        "layers": layers.layer_seconds(RUN_RESULTS, MANIFEST),
    }
    markdown = full.format_markdown(report)
    assert "## The same build on Spark" in markdown and "**3.0 ×** DuckDB's 90.0 s" in markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [("100000,1000000", [100000, 1000000]), (" 30, 10,20 ", [10, 20, 30]), ("5", [5])],
)
def test_curve_sizes_are_sorted_whole_numbers(text, expected):
    assert curve.parse_sizes(text) == expected


@pytest.mark.parametrize("text", ["", ",", "10,", "10,x", "0", "-5", "1e6", "10,10"])
def test_curve_sizes_refuse_anything_else(text):
    with pytest.raises(ValueError):
        curve.parse_sizes(text)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["bench", "curve"], "portrait bench curve: error: the following arguments are required: --sizes"),
        (["bench", "curve", "--sizes", "10,x"], "portrait bench curve: error: argument --sizes: expected comma-sep"),
        (["bench", "curve", "--sizes", "0"], "portrait bench curve: error: argument --sizes: expected comma-sep"),
        (["bench", "curve", "--sizes", "10,10"], "portrait bench curve: error: argument --sizes: each size once: 10"),
        (["bench", "curve", "--sizes", "10", "--threads", "0"], "portrait bench curve: error: argument --threads"),
        (["bench", "curve", "--sizes", "10", "--graph-edges", "-1"], "portrait bench curve: error: argument --graph-e"),
        (["bench", "--customers", "10", "curve", "--sizes", "10"], "portrait bench curve: error: options of the full"),
        (
            ["bench", "--spark", "curve", "--sizes", "10"],
            "portrait bench curve: error: options of the full benchmark (--spark)",
        ),
        (["bench", "--increment", "/nonexistent/next_day"], "portrait bench: error: argument --increment: not a fol"),
        (["bench", "--increment-as-of", "2026-10-32"], "portrait bench: error: argument --increment-as-of: not a date"),
        (["bench", "--increment-as-of", "2026-10-01"], "portrait bench: error: --increment and --increment-as-of go"),
    ],
)
def test_bad_bench_arguments_print_one_line_and_exit_2(args, expected):
    result = run_portrait(*args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(expected), result.stderr
    assert result.stdout == ""


def test_an_increment_without_raw_files_fails_before_the_benchmark(tmp_path):
    result = run_portrait("bench", "--increment", str(tmp_path), "--increment-as-of", "2026-10-01")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"portrait bench: increment folder {tmp_path} holds no CSV, JSON Lines or Parquet file in a source folder"
        " (<source>/<file>)"
    ]


def test_copy_increment_adds_new_files_replaces_changed_ones_and_keeps_the_same(tmp_path):
    raw = tmp_path / "bench" / "raw"
    (raw / "pos_orders").mkdir(parents=True)
    (raw / "products").mkdir()
    (raw / "pos_orders" / "pos_orders.csv").write_text("order_id\nP1\n")
    (raw / "products" / "products.csv").write_text("sku\nS1\n")
    day = tmp_path / "next_day" / "raw"  # a data folder: its raw/ is used
    (day / "pos_orders").mkdir(parents=True)
    (day / "products").mkdir()
    (day / "pos_orders" / "pos_orders.csv").write_text("order_id\nP1\n")
    (day / "pos_orders" / "pos_orders_2026-10-01.csv").write_text("order_id\nP2\n")
    (day / "products" / "products.csv").write_text("sku\nS1\nS2\n")
    (day / "products" / "README.txt").write_text("not copied\n")
    assert increment.copy_increment(tmp_path / "next_day", raw) == {"copied": 1, "replaced": 1, "unchanged": 1}
    assert (raw / "pos_orders" / "pos_orders_2026-10-01.csv").read_text() == "order_id\nP2\n"
    assert (raw / "products" / "products.csv").read_text() == "sku\nS1\nS2\n"
    assert not (raw / "products" / "README.txt").exists()


def test_copy_increment_refuses_a_folder_that_is_no_source_and_copies_nothing(tmp_path):
    raw = tmp_path / "raw"
    (raw / "pos_orders").mkdir(parents=True)
    day = tmp_path / "next_day"
    (day / "pos_orders").mkdir(parents=True)
    (day / "pos_orders" / "pos_orders_2026-10-01.csv").write_text("order_id\nP2\n")
    (day / "Pos_Order").mkdir()
    (day / "Pos_Order" / "typo.csv").write_text("order_id\nP3\n")
    with pytest.raises(BenchError, match="holds Pos_Order, not source folders"):
        increment.copy_increment(day, raw)
    assert list((raw / "pos_orders").iterdir()) == []


def test_the_increment_build_needs_a_built_benchmark(tmp_path):
    with pytest.raises(BenchError, match="holds no built benchmark"):
        increment.run_increment_build(tmp_path, tmp_path, "2026-10-01", threads=1)
