"""The workbench's read-only view of the build: the current snapshot (portrait.snapshots), opened
once per published file and switched to as soon as a newer one is published, without a restart."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb

from portrait import snapshots

# The name the snapshot is attached under: the build's database name, which compiled SQL names.
DATABASE = "portrait"


def _attached(path: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with the snapshot at `path` attached read-only as `portrait`, unable
    to read anything else (a defence in depth: queries are the workbench's own or compiled drafts)."""
    connection = duckdb.connect()
    connection.execute(f"attach '{path}' as {DATABASE} (read_only)")
    # no file, URL or extension reachable from a query, and no setting changed back
    connection.execute("set enable_external_access = false")
    connection.execute("set lock_configuration = true")
    return connection


class SnapshotReader:
    """Queries on the current snapshot of `folder`. Each query runs on a cursor of its own (DuckDB
    cursors may run in parallel threads); connections to older snapshots stay open until a few
    newer ones are published (a page that started on one finishes on it)."""

    def __init__(self, folder: Path, keep_open: int = snapshots.KEEP):
        self.folder = folder
        self.keep_open = keep_open
        self._connections: dict[Path, duckdb.DuckDBPyConnection] = {}
        self._lock = threading.Lock()

    def current(self) -> tuple[Path, duckdb.DuckDBPyConnection]:
        """The current snapshot's path and a connection to it; SnapshotError when there is none."""
        path = snapshots.current(self.folder)
        with self._lock:
            if path not in self._connections:
                self._connections[path] = _attached(path)
                for old in list(self._connections)[: -self.keep_open]:
                    self._connections.pop(old).close()
            return path, self._connections[path]

    def rows(self, sql: str, parameters: list | None = None) -> list[dict]:
        """The rows of a query on the current snapshot, as dicts by column name."""
        _, connection = self.current()
        with connection.cursor() as cursor:  # a cursor starts in the default database: use the snapshot
            result = cursor.execute(f"use {DATABASE}").execute(sql, parameters or [])
            names = [column[0] for column in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def value(self, sql: str, parameters: list | None = None):
        """The first column of the first row of a query (None without rows)."""
        found = self.rows(sql, parameters)
        return next(iter(found[0].values())) if found else None

    def close(self) -> None:
        """Closes every connection."""
        with self._lock:
            for connection in self._connections.values():
                connection.close()
            self._connections.clear()
