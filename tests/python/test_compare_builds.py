"""portrait.bench.compare_builds: order-free, table-by-table comparison of two builds."""

from __future__ import annotations

import duckdb

from portrait.bench.compare_builds import compare_builds, format_comparison


def _write(path, statements):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema customers")
        for statement in statements:
            con.execute(statement)


def test_same_rows_in_another_order_and_column_order_are_identical(tmp_path):
    _write(
        tmp_path / "a.duckdb",
        ["create table customers.people as select * from (values (1, 'a'), (2, 'b')) t(id, name)"],
    )
    _write(
        tmp_path / "b.duckdb",
        ["create table customers.people as select name, id from (values (2, 'b'), (1, 'a')) t(id, name)"],
    )
    comparison = compare_builds(str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb"))
    assert comparison.identical == 1 and comparison.content_changes == {} and comparison.column_changes == {}


def test_changed_values_renames_and_new_tables_are_reported(tmp_path):
    _write(
        tmp_path / "a.duckdb",
        [
            "create table customers.people as select * from (values (1, 'a'), (2, 'b'), (2, 'b')) t(id, name)",
            "create table customers.int_orders as select 1 as order_id",
            "create table customers.gone as select 1 as x",
        ],
    )
    _write(
        tmp_path / "b.duckdb",
        [
            # a duplicate row dropped: same distinct rows, different multiset
            "create table customers.people as select * from (values (1, 'a'), (2, 'b')) t(id, name)",
            "create table customers.orders as select 1 as order_id, 'x' as channel",
            "create table customers.added as select 1 as x",
        ],
    )
    comparison = compare_builds(
        str(tmp_path / "a.duckdb"), str(tmp_path / "b.duckdb"), renamed={"int_orders": "orders"}, columns=True
    )
    assert comparison.only_before == ["customers.gone"] and comparison.only_after == ["customers.added"]
    assert comparison.content_changes == {"customers.people": ["id (1)", "name (1)"]}
    assert comparison.column_changes == {"customers.int_orders": ([], [("channel", "VARCHAR")])}
    assert "0 of 2 tables compared are identical" in format_comparison(comparison)
