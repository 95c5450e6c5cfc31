"""Compare two built Portrait databases table by table: which tables exist in one only, which
columns (name and type) differ, and which tables' contents differ, independent of row and column
order. For refactors whose outputs must not change (run the same raw data through both versions).

    python -m portrait.bench.compare_builds BEFORE.duckdb AFTER.duckdb [--renamed old=new ...]

Content is compared as a multiset of rows over the columns both tables share: the row count and
the sum of a hash of each row's text. With --columns, each differing table also lists the columns
whose values differ and how many values of each are not matched.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

import duckdb

SKIPPED_SCHEMAS = ("raw", "main", "information_schema", "pg_catalog")


@dataclass
class Comparison:
    """What differs between two builds: table names as `schema.table` (of BEFORE for both sides)."""

    only_before: list[str] = field(default_factory=list)
    only_after: list[str] = field(default_factory=list)
    column_changes: dict[str, tuple[list, list]] = field(default_factory=dict)  # before-only, after-only
    content_changes: dict[str, list[str]] = field(default_factory=dict)  # table -> differing columns
    identical: int = 0
    compared: int = 0


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "select table_schema, table_name from information_schema.tables"
        f" where table_catalog = ? and table_schema not in {SKIPPED_SCHEMAS}",
        [catalog],
    ).fetchall()
    return set(rows)


def _columns(con, catalog: str, schema: str, table: str) -> dict[str, str]:
    return dict(
        con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_catalog = ? and table_schema = ? and table_name = ? order by ordinal_position",
            [catalog, schema, table],
        ).fetchall()
    )


def _digest(con, relation: str, columns: list[str]) -> tuple:
    selected = ", ".join(f'"{name}"' for name in sorted(columns))
    return con.execute(
        f"select count(*), coalesce(sum(hash(row({selected})::varchar)), 0)::hugeint from {relation}"
    ).fetchone()


def _differing_columns(con, before: str, after: str, columns: list[str]) -> list[str]:
    differing = []
    for name in columns:
        values = f'select "{name}"::varchar from {{}}'
        unmatched = con.execute(
            f"select count(*) from ({values.format(before)} except all {values.format(after)})"
        ).fetchone()[0]
        if unmatched:
            differing.append(f"{name} ({unmatched})")
    return differing


def compare_builds(before: str, after: str, renamed: dict[str, str] | None = None, columns: bool = False) -> Comparison:
    """Compares the DuckDB files `before` and `after` (paths; opened read-only). `renamed` maps a
    table name of BEFORE to its name in AFTER (same schema)."""
    renamed = renamed or {}
    con = duckdb.connect()
    con.execute(f"attach '{before}' as before_build (read_only)")
    con.execute(f"attach '{after}' as after_build (read_only)")
    result = Comparison()
    tables_before, tables_after = _tables(con, "before_build"), _tables(con, "after_build")
    matched_after = set()
    for schema, table in sorted(tables_before):
        name = f"{schema}.{table}"
        target = (schema, renamed.get(table, table))
        if target not in tables_after:
            result.only_before.append(name)
            continue
        matched_after.add(target)
        result.compared += 1
        columns_before = _columns(con, "before_build", schema, table)
        columns_after = _columns(con, "after_build", *target)
        if columns_before != columns_after:
            result.column_changes[name] = (
                sorted(set(columns_before.items()) - set(columns_after.items())),
                sorted(set(columns_after.items()) - set(columns_before.items())),
            )
        shared = [column for column in columns_before if column in columns_after]
        relation_before = f'before_build."{schema}"."{table}"'
        relation_after = f'after_build."{target[0]}"."{target[1]}"'
        if _digest(con, relation_before, shared) != _digest(con, relation_after, shared):
            result.content_changes[name] = (
                _differing_columns(con, relation_before, relation_after, shared) if columns else []
            )
        elif columns_before == columns_after:
            result.identical += 1
    result.only_after = sorted(f"{schema}.{table}" for schema, table in tables_after - matched_after)
    con.close()
    return result


def format_comparison(comparison: Comparison) -> str:
    """The comparison as text, one line per difference, then the count of identical tables."""
    lines = [f"only in before: {name}" for name in comparison.only_before]
    lines += [f"only in after: {name}" for name in comparison.only_after]
    for name, (before_only, after_only) in comparison.column_changes.items():
        lines.append(f"columns differ: {name}: before only {before_only}, after only {after_only}")
    for name, differing in comparison.content_changes.items():
        lines.append(f"content differs: {name}" + (f": {', '.join(differing)}" if differing else ""))
    lines.append(f"{comparison.identical} of {comparison.compared} tables compared are identical")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m portrait.bench.compare_builds", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("before", help="DuckDB file of the first build")
    parser.add_argument("after", help="DuckDB file of the second build")
    parser.add_argument("--renamed", nargs="*", default=[], metavar="OLD=NEW", help="tables renamed between them")
    parser.add_argument("--columns", action="store_true", help="name the differing columns of each table")
    options = parser.parse_args(argv)
    renamed = dict(pair.split("=", 1) for pair in options.renamed)
    print(format_comparison(compare_builds(options.before, options.after, renamed, options.columns)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
