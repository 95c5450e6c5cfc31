"""Incremental daily builds equal full rebuilds.

One generated data set is built, then receives the next day's files (portrait generate
--next-day: new dated files, the catalogue export replaced) and hand-made changes of the kinds
daily feeds bring: a corrected export replacing a file, a file withdrawn, a file that sorts before
the others holding a copy of a row already landed and a newer version of a member. The database
is then built twice from the same files: incrementally (only new and changed files landed and
staged) and with `--full-refresh` from a copy of the first day's database (everything landed and
staged again; the OneID registry and the run histories are kept by design, `full_refresh: false`).
Every table must hold the same rows.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import TEST_SEED
from dbt_runner import run_dbt
from table_compare import same_rows

from portrait import datagen
from portrait.bench.compare_builds import compare_builds

CUSTOMERS = 600
NEXT_DAY_VARS = ["--vars", "{as_of: '2026-10-01'}"]
# Columns stamped with the time of the run that wrote them: two builds differ there by design.
RUN_STAMPS = {"resolved_at", "first_assigned_at", "fitted_at", "last_computed_at"}
# Sums and means of doubles depend on the order rows arrive in (parallel aggregation): the
# incremental base tables hold their rows in another physical order than a full build's.
REL_TOLERANCE = 1e-9


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("incremental")
    data_dir = base / "data"
    raw = data_dir / "raw"
    generate = dict(
        customers=CUSTOMERS, seed=TEST_SEED, out_dir=data_dir, start="2024-01-01", end="2026-09-30", file_format="mixed"
    )
    datagen.generate(**generate)
    members = _rows(raw / "crm_members" / "crm_members.csv")
    header, first, second = members[0], members[1], members[2]
    # day 1: an extra export that will be withdrawn, and one that will be corrected
    _write(raw / "crm_members" / "withdrawn.csv", [header, second])
    corrected = raw / "crm_members" / "corrected.csv"
    _write(corrected, [header, *members[3:6]])
    incremental, full = base / "incremental", base / "full"
    day_one = run_dbt(["build"], raw, incremental)
    assert day_one.success, day_one.failures()
    full.mkdir()
    shutil.copy(incremental / "portrait.duckdb", full / "portrait.duckdb")

    datagen.generate(**generate, next_day=True)
    (raw / "crm_members" / "withdrawn.csv").unlink()
    updated = list(members[3])
    updated[header.index("updated_at")] = "2026-10-01 09:00:00"
    updated[header.index("member_level")] = "gold"
    _write(corrected, [header, updated, *members[5:7]])
    newer = list(first)
    newer[header.index("updated_at")] = "2026-10-01 10:00:00"
    newer[header.index("city")] = "杭州"
    _write(raw / "crm_members" / "000-early.csv", [header, second, newer])

    daily = run_dbt(["build", *NEXT_DAY_VARS], raw, incremental)
    rebuilt = run_dbt(["build", "--full-refresh", *NEXT_DAY_VARS], raw, full)
    assert daily.success, daily.failures()
    assert rebuilt.success, rebuilt.failures()
    return incremental / "portrait.duckdb", full / "portrait.duckdb", daily


def test_the_daily_build_lands_only_new_and_changed_files(two_builds):
    _, _, daily = two_builds
    landing = [message for message in daily.messages if message.startswith("Raw landing:")]
    assert len(landing) == 1
    # new dated files of the next day, the replaced catalogue, the corrected and the early file
    landed, removed, unchanged = (int(word) for word in landing[0].replace(",", "").split() if word.isdigit())
    assert removed == 3  # the withdrawn file, the old catalogue and the old corrected file
    assert unchanged >= 20 and landed < unchanged


def test_every_table_equals_a_full_rebuild(two_builds):
    incremental, full, _ = two_builds
    comparison = compare_builds(str(full), str(incremental), columns=True)
    assert not comparison.only_before and not comparison.only_after
    assert not comparison.column_changes
    assert comparison.compared > 100
    # Tables whose digests differ: the same rows, but run stamps and floats within the tolerance
    differing = []
    with duckdb.connect() as con:
        con.execute(f"attach '{full}' as full_build (read_only)")
        con.execute(f"attach '{incremental}' as incremental (read_only)")
        for table in comparison.content_changes:
            schema, name = table.split(".")
            columns = [
                column
                for (column,) in con.execute(
                    "select column_name from information_schema.columns where table_catalog = 'full_build'"
                    " and table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, name],
                ).fetchall()
                if column not in RUN_STAMPS
            ]
            one, other = f'full_build."{schema}"."{name}"', f'incremental."{schema}"."{name}"'
            if not same_rows(con, one, other, columns, REL_TOLERANCE):
                differing.append(table)
    assert differing == []


def test_landed_raw_tables_equal_a_full_landing(two_builds):
    incremental, full, _ = two_builds
    with duckdb.connect() as con:
        con.execute(f"attach '{incremental}' as incremental (read_only)")
        con.execute(f"attach '{full}' as full_build (read_only)")
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables"
                " where table_catalog = 'full_build' and table_schema = 'raw'"
            ).fetchall()
        ]
        assert "crm_members" in tables and "_landed_files" in tables
        for table in tables:
            columns = "* exclude (landed_at)" if table == "_landed_files" else "*"
            for one, other in (("incremental", "full_build"), ("full_build", "incremental")):
                only_one = f'select {columns} from {one}.raw."{table}"'
                only_other = f'select {columns} from {other}.raw."{table}"'
                missing = con.execute(f"select count(*) from ({only_one} except all {only_other})").fetchone()[0]
                assert missing == 0, (table, one)


def test_staged_members_follow_the_changes(two_builds):
    incremental, _, _ = two_builds
    with duckdb.connect(str(incremental), read_only=True) as con:
        files = {
            row[0].rsplit("/", 1)[-1]
            for row in con.execute("select distinct _source_file from staging.base_crm__members").fetchall()
        }
        statuses = dict(
            con.execute(
                "select _source_file.split('/')[-1] || ':' || _source_row, row_status"
                " from staging.base_crm__members where _source_file like '%000-early.csv'"
                " or (_source_file like '%/crm_members.csv' and _source_row <= 3)"
            ).fetchall()
        )
        level = con.execute(
            "select member_level from staging.stg_crm__members"
            " where _source_file like '%corrected.csv' and _source_row = 2"
        ).fetchone()
    assert "withdrawn.csv" not in files
    # the early file's copy of a landed row is now the first copy: the landed one is the duplicate
    assert statuses["000-early.csv:2"] != "duplicate" and statuses["crm_members.csv:3"] == "duplicate"
    # the newer version of the first member wins over the one landed on day one
    assert statuses["000-early.csv:3"] == "staged" and statuses["crm_members.csv:2"] == "quarantined"
    assert level == ("gold",)
