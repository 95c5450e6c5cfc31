"""Read-only access to the Portrait DuckDB database for reports (summary, benchmark)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from portrait.errors import PortraitError
from portrait.project import PROJECT_DIR

# Schemas in the order data flows through them (see ARCHITECTURE.md).
LAYERS = ("raw", "staging", "identity", "customers", "scores", "tags", "segments", "activation", "campaigns")
DEFAULT_DB_PATH = "build/portrait.duckdb"


class WarehouseError(PortraitError):
    """The database cannot be read (missing file, not built yet)."""


def database_path(explicit: str | None = None) -> Path:
    """The database file: the explicit path, else $PORTRAIT_DB_PATH, else the build default; the
    last two, when relative, are relative to the project folder (where dbt runs), not the current one."""
    if explicit:
        return Path(explicit)
    path = Path(os.environ.get("PORTRAIT_DB_PATH", DEFAULT_DB_PATH))
    return path if path.is_absolute() else PROJECT_DIR / path


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file at `path`; WarehouseError when it does not
    exist or cannot be opened (a running build holds its lock)."""
    if not path.is_file():
        raise WarehouseError(
            f"database {path} does not exist: build it first (`portrait build`, or `make demo` for demo data)"
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:  # e.g. a running build holds the file's lock
        raise WarehouseError(f"cannot open {path}: {str(error).splitlines()[0]}") from None


def layer_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Rows of every user-facing model per layer; internal `base_` models and landed raw tables are left out."""
    relations = con.execute(
        """
        select table_schema, table_name
        from information_schema.tables
        where list_contains(?, table_schema)
          and table_name not like 'base\\_%' escape '\\'
        order by table_schema, table_name
        """,
        [list(LAYERS[1:])],
    ).fetchall()
    counts: dict[str, dict[str, int]] = {}
    for schema, table in relations:
        (rows,) = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
        counts.setdefault(schema, {})[table] = rows
    return {layer: counts[layer] for layer in LAYERS if layer in counts}


def staging_row_accounting(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, int, int, int]]:
    """Per raw source: (source, raw rows, staged, quarantined, duplicates removed), by source name."""
    return con.execute(
        """
        select
            source_name,
            sum(row_count)::bigint as raw_rows,
            coalesce(sum(row_count) filter (where row_status = 'staged'), 0)::bigint as staged,
            coalesce(sum(row_count) filter (where row_status = 'quarantined'), 0)::bigint as quarantined,
            coalesce(sum(row_count) filter (where row_status = 'duplicate'), 0)::bigint as duplicates
        from staging.staging_row_counts
        group by source_name
        order by source_name
        """
    ).fetchall()


def quarantine_by_reason(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """Quarantined rows per source and reason, largest first."""
    return con.execute(
        """
        select source_name, quarantine_reason, sum(row_count)::bigint as row_count
        from staging.staging_row_counts
        where row_status = 'quarantined'
        group by source_name, quarantine_reason
        order by row_count desc, source_name, quarantine_reason
        """
    ).fetchall()


def latest_identity_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The last row of identity.identity_run_summary, or None before identity was built."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'identity'"
        " and table_name = 'identity_run_summary'"
    ).fetchall()[0][0]
    if not exists:
        return None
    cursor = con.execute("select * from identity.identity_run_summary order by resolved_at desc limit 1")
    names = [column[0] for column in cursor.description]
    rows = cursor.fetchall()
    return dict(zip(names, rows[0], strict=True)) if rows else None


def tag_overview(con: duckdb.DuckDBPyConnection) -> dict | None:
    """Tags per entity and status, and governance findings per check; None before tags were built."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'tags'"
        " and table_name in ('tag_catalog', 'tag_governance')"
    ).fetchall()[0][0]
    if exists < 2:
        return None
    return {
        "tags": con.execute(
            "select entity, status, count(*), round(avg(coverage), 3) from tags.tag_catalog"
            " group by entity, status order by entity, status"
        ).fetchall(),
        "findings": con.execute(
            "select check_name, count(*) from tags.tag_governance group by check_name order by check_name"
        ).fetchall(),
    }
