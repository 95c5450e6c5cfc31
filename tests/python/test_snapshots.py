"""Snapshots of the built database: published whole, switched atomically, the newest few kept."""

from __future__ import annotations

import argparse
import datetime as dt

import duckdb
import pytest

from portrait import snapshots
from portrait.commands import build


def _database(path, value: int):
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table t as select ? as v", [value])
    return path


def _value(path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select v from t").fetchone()[0]


def _at(minute: int) -> dt.datetime:
    return dt.datetime(2026, 12, 1, 8, minute, tzinfo=dt.UTC)


def test_a_published_snapshot_is_current_and_holds_the_database(tmp_path):
    database, folder = _database(tmp_path / "portrait.duckdb", 1), tmp_path / "snapshots"
    first = snapshots.publish(database, folder, now=_at(0))
    assert snapshots.current(folder) == first and _value(first) == 1
    _database(database, 2)  # the next build writes the database; the snapshot does not change
    assert _value(snapshots.current(folder)) == 1
    second = snapshots.publish(database, folder, now=_at(1))
    assert snapshots.current(folder) == second and _value(second) == 2 and _value(first) == 1
    assert not list(folder.glob(".*"))  # no partial file left behind


def test_the_newest_snapshots_are_kept_and_an_open_one_still_reads(tmp_path):
    database, folder = _database(tmp_path / "portrait.duckdb", 1), tmp_path / "snapshots"
    first = snapshots.publish(database, folder, keep=2, now=_at(0))
    reader = duckdb.connect(str(first), read_only=True)
    for minute in (1, 2):
        _database(database, minute + 1)
        snapshots.publish(database, folder, keep=2, now=_at(minute))
    assert sorted(path.name for path in folder.glob("portrait-*.duckdb")) == [
        "portrait-20261201T080100000000Z.duckdb",
        "portrait-20261201T080200000000Z.duckdb",
    ]
    assert reader.execute("select v from t").fetchone()[0] == 1  # deleted, but still open
    reader.close()
    assert _value(snapshots.current(folder)) == 3


def test_no_database_or_no_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(snapshots.SnapshotError, match="does not exist: build it first"):
        snapshots.publish(tmp_path / "missing.duckdb", tmp_path / "snapshots")
    with pytest.raises(snapshots.SnapshotError, match="no snapshot in"):
        snapshots.current(tmp_path / "snapshots")
    (tmp_path / "snapshots").mkdir()
    (tmp_path / "snapshots" / "CURRENT").write_text("portrait-gone.duckdb\n")
    with pytest.raises(snapshots.SnapshotError, match="which is not a snapshot file"):
        snapshots.current(tmp_path / "snapshots")


@pytest.mark.parametrize(
    ("arguments", "exit_code", "published"),
    [([], 0, True), (["--select", "customers"], 0, True), ([], 1, False), (["--target", "spark"], 0, False)],
)
def test_portrait_build_publishes_after_a_successful_duckdb_build_only(
    tmp_path, monkeypatch, arguments, exit_code, published
):
    database, folder = _database(tmp_path / "portrait.duckdb", 1), tmp_path / "snapshots"
    monkeypatch.setenv("PORTRAIT_DB_PATH", str(database))
    monkeypatch.setenv("PORTRAIT_SNAPSHOT_DIR", str(folder))
    monkeypatch.delenv("PORTRAIT_TARGET", raising=False)
    monkeypatch.setattr(build, "dbt_build", lambda passed: exit_code)
    assert build.run(argparse.Namespace(passed_through=arguments)) == exit_code
    assert (folder / "CURRENT").exists() == published
