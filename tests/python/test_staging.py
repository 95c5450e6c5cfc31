"""Staging checked against independent readings of the raw files and the generator's ground truth."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import TEST_CUSTOMERS, generate
from dbt_runner import run_dbt
from raw_reference import (
    canonical_phone,
    count_records,
    data_files,
    records_by_position,
    registered_raw_folders,
    to_utc,
)

RAW_SOURCES = registered_raw_folders()  # every registered source table's raw folder

# (raw folder, staging model, raw column, staged column)
TIMESTAMPS = [
    ("app_events", "stg_app__events", "event_time", "event_at"),
    ("campaign_events", "stg_campaign__events", "event_time", "event_at"),
    ("pos_orders", "stg_pos__orders", "order_time", "ordered_at"),
    ("crm_members", "stg_crm__members", "registered_at", "registered_at"),
    ("wechat_users", "stg_wechat__users", "updated_at", "updated_at"),
]
PHONES = [
    ("crm_members", "stg_crm__members"),
    ("wechat_users", "stg_wechat__users"),
    ("pos_orders", "stg_pos__orders"),
    ("ad_leads", "stg_ads__leads"),
    ("service_tickets", "stg_service__tickets"),
]


def test_build_passes_models_data_tests_and_unit_tests(demo_build):
    assert demo_build.run.success, demo_build.run.failures()
    unit_tests = [r for r in demo_build.run.results if r.node.resource_type == "unit_test"]
    assert len(unit_tests) >= 4


def test_every_raw_row_is_staged_quarantined_or_a_removed_duplicate(demo_build):
    accounted = dict(
        demo_build.query(
            "select source_name, sum(row_count)::bigint from staging.staging_row_counts group by source_name"
        )
    )
    for source in RAW_SOURCES:
        files = data_files(demo_build.raw_dir / source)
        assert files, f"generator wrote no files for {source}"
        assert accounted.get(source, 0) == sum(count_records(f) for f in files), source


def test_staged_quarantined_and_duplicate_rows_are_disjoint_and_staged_rows_reach_stg_models(demo_build):
    counts = dict(
        demo_build.query(
            """
            select source_name, sum(row_count)::bigint from staging.staging_row_counts
            where row_status = 'staged' group by source_name
            """
        )
    )
    assert counts["crm_members"] == demo_build.query("select count(*) from staging.stg_crm__members")[0][0]
    assert counts["app_events"] == demo_build.query("select count(*) from staging.stg_app__events")[0][0]
    quarantined = demo_build.query("select count(*) from staging.quarantined_rows")[0][0]
    assert (
        quarantined
        == demo_build.query("select sum(row_count) from staging.staging_row_counts where row_status = 'quarantined'")[
            0
        ][0]
    )


@pytest.mark.parametrize(("source", "model", "raw_column", "staged_column"), TIMESTAMPS)
def test_timestamps_are_utc_as_an_independent_parser_reads_them(demo_build, source, model, raw_column, staged_column):
    staged = demo_build.query(f"select _source_file, _source_row, {staged_column} from staging.{model}")
    assert staged, model
    raw = {str(path): records_by_position(path) for path in data_files(demo_build.raw_dir / source)}
    mismatches = []
    for file, row, value in staged:
        expected = to_utc(raw[file][row][raw_column])
        if expected != value:
            mismatches.append((file, row, raw[file][row][raw_column], expected, value))
    assert not mismatches, mismatches[:5]


def test_rows_with_unreadable_timestamps_are_quarantined_not_staged(demo_build):
    quarantined = demo_build.query(
        """
        select source_file, source_row from staging.quarantined_rows
        where source_name = 'pos_orders' and quarantine_reason = 'invalid_order_time'
        """
    )
    assert quarantined, "the generator injects invalid dates into pos_orders"
    raw = {str(path): records_by_position(path) for path in data_files(demo_build.raw_dir / "pos_orders")}
    for file, row in quarantined:
        assert to_utc(raw[file][row]["order_time"]) is None


@pytest.mark.parametrize(("source", "model"), PHONES)
def test_staged_phones_match_an_independent_normaliser_and_the_ground_truth(demo_build, source, model):
    staged = demo_build.query(f"select _source_file, _source_row, phone from staging.{model}")
    raw = {str(path): records_by_position(path) for path in data_files(demo_build.raw_dir / source)}
    truth = {
        value
        for (value,) in demo_build.query(
            f"""
            select identifier_value
            from read_parquet('{demo_build.ground_truth_dir / "identifiers.parquet"}')
            where identifier_type = 'phone'
            """
        )
    }
    for file, row, phone in staged:
        assert phone == canonical_phone(raw[file][row]["phone"]), (file, row)
        assert phone is None or (re.fullmatch(r"1[3-9]\d{9}", phone) and phone in truth), (file, row, phone)


def test_exact_duplicates_removed_equal_the_duplicates_the_generator_injected(demo_build):
    noise = demo_build.noise_summary()
    removed = dict(
        demo_build.query(
            """
            select source_name, sum(row_count)::bigint from staging.staging_row_counts
            where row_status = 'duplicate' group by source_name
            """
        )
    )
    for source in RAW_SOURCES:
        assert removed.get(source, 0) == noise[source].get("duplicate", 0), source


def test_malformed_lines_are_quarantined_with_their_original_text(demo_build):
    noise = demo_build.noise_summary()
    rows = demo_build.query(
        """
        select source_name, count(*)::bigint, count(raw_record)::bigint from staging.quarantined_rows
        where quarantine_reason like 'malformed_line%' group by source_name
        """
    )
    found = {source: (count, with_text) for source, count, with_text in rows}
    for source in RAW_SOURCES:
        injected = noise[source].get("malformed_line", 0)
        assert found.get(source, (0, 0)) == (injected, injected), source


STAGED_VALUES = "select * exclude (_source_file, _source_row) from staging.{model}"
STAGED_MODELS = ("stg_crm__members", "stg_ecommerce__orders", "stg_app__events", "stg_wechat__users", "stg_pos__orders")


def _convert_raw_directory(csv_raw: Path, out_raw: Path, file_format: str) -> None:
    """Writes every well-formed CSV record of csv_raw as JSON Lines or Parquet, with Python's csv module."""
    for folder in sorted(p for p in csv_raw.iterdir() if p.is_dir()):
        (out_raw / folder.name).mkdir(parents=True)
        for path in data_files(folder):
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                records = [dict(zip(header, row, strict=True)) for row in reader if len(row) == len(header)]
            jsonl = out_raw / folder.name / f"{path.stem}.jsonl"
            jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
            if file_format == "parquet":
                columns = "{" + ", ".join(f"'{name}': 'VARCHAR'" for name in header) + "}"
                duckdb.execute(
                    f"copy (select * from read_json('{jsonl}', format = 'newline_delimited', columns = {columns})) "
                    f"to '{jsonl.with_suffix('.parquet')}' (format parquet)"
                )
                jsonl.unlink()


def test_every_format_stages_the_same_rows(tmp_path):
    """The same records as CSV, JSON Lines and Parquet stage to identical values."""
    csv_data = generate(tmp_path / "csv", file_format="csv", customers=TEST_CUSTOMERS // 3)
    raw_dirs = {"csv": csv_data / "raw"}
    for file_format in ("jsonl", "parquet"):
        raw_dirs[file_format] = tmp_path / file_format / "raw"
        _convert_raw_directory(raw_dirs["csv"], raw_dirs[file_format], file_format)
    staged = {}
    for file_format, raw_dir in raw_dirs.items():
        work_dir = tmp_path / file_format / "work"
        run_dbt(["seed"], raw_dir, work_dir)  # staging reads the identifier rules from a seed
        run = run_dbt(["run", "--select", "staging"], raw_dir, work_dir)
        assert run.success, run.failures()
        with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
            staged[file_format] = {
                model: sorted(map(repr, con.execute(STAGED_VALUES.format(model=model)).fetchall()))
                for model in STAGED_MODELS
            }
    assert all(staged["csv"].values()), "a model staged no rows"
    assert staged["csv"] == staged["jsonl"]
    assert staged["csv"] == staged["parquet"]


def test_a_missing_source_folder_is_an_empty_source_with_a_warning(demo_build, tmp_path):
    raw_dir = tmp_path / "raw"
    for source in ("ecommerce_orders", "ecommerce_order_items"):
        shutil.copytree(demo_build.raw_dir / source, raw_dir / source)
    run_dbt(["seed"], raw_dir, tmp_path / "work")
    run = run_dbt(["run", "--select", "staging"], raw_dir, tmp_path / "work")
    assert run.success, run.failures()
    assert any("crm_members" in message and "is empty" in message for message in run.messages)
    with duckdb.connect(str(tmp_path / "work" / "portrait.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_crm__members").fetchall() == [(0,)]
        assert con.execute("select count(*) from staging.stg_ecommerce__orders").fetchall()[0][0] > 0
