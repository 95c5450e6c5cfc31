"""Read-only snapshots of the built database, for readers that run beside builds (the workbench).

A DuckDB file cannot be read by one process while `dbt build` writes it. After a successful build
the database is published as a snapshot: checkpointed, copied to a new file in the snapshot folder
(`portrait-<UTC time>.duckdb`, first under a temporary name), and only then named current by
rewriting the pointer file `CURRENT` (a temporary file renamed over it: one atomic step). A reader
opens whatever `CURRENT` names, so a running or failed build never changes what it reads. The
newest `keep` snapshots are kept; older ones are deleted (a reader that still holds one open keeps
reading it: the file is only unlinked).

The folder is $PORTRAIT_SNAPSHOT_DIR, default build/snapshots (relative to the project folder).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from portrait.errors import PortraitError
from portrait.project import PROJECT_DIR

DEFAULT_SNAPSHOT_DIR = "build/snapshots"
POINTER = "CURRENT"
KEEP = 3


class SnapshotError(PortraitError):
    """No snapshot can be published or read (no database, no snapshot yet)."""


def snapshot_dir(explicit: str | Path | None = None) -> Path:
    """The snapshot folder: the explicit one, else $PORTRAIT_SNAPSHOT_DIR, else build/snapshots;
    relative paths are relative to the project folder."""
    path = Path(explicit or os.environ.get("PORTRAIT_SNAPSHOT_DIR", DEFAULT_SNAPSHOT_DIR))
    return path if path.is_absolute() else PROJECT_DIR / path


def publish(database: Path, folder: Path, keep: int = KEEP, now: dt.datetime | None = None) -> Path:
    """Publishes `database` (a DuckDB file no process is writing) as the current snapshot in
    `folder`; returns the snapshot's path. Keeps the newest `keep` snapshots (at least 1).
    SnapshotError when the database does not exist or cannot be opened."""
    if not database.is_file():
        raise SnapshotError(f"database {database} does not exist: build it first (`portrait build`)")
    try:  # fold the write-ahead log into the file, so that the copy is the whole database
        with duckdb.connect(str(database)) as con:
            con.execute("checkpoint")
    except duckdb.Error as error:
        raise SnapshotError(f"cannot open {database}: {str(error).splitlines()[0]}") from None
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    snapshot = folder / f"portrait-{stamp}.duckdb"
    partial = folder / f".{snapshot.name}.partial"
    shutil.copyfile(database, partial)
    partial.chmod(0o600)  # every personal field, unmasked: readable by its owner only
    os.replace(partial, snapshot)
    pointer = folder / f".{POINTER}.partial"
    pointer.write_text(snapshot.name + "\n", encoding="utf-8")
    os.replace(pointer, folder / POINTER)
    for old in sorted(folder.glob("portrait-*.duckdb"))[: -max(keep, 1)]:
        if old != snapshot:
            old.unlink(missing_ok=True)
    return snapshot


def current(folder: Path) -> Path:
    """The current snapshot of `folder` (the file CURRENT names); SnapshotError when there is none."""
    try:
        name = (folder / POINTER).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise SnapshotError(
            f"no snapshot in {folder}: build first (`portrait build` publishes one after a successful build)"
        ) from None
    path = folder / name
    if not name or not path.is_file():
        raise SnapshotError(f"{folder / POINTER} names {name!r}, which is not a snapshot file in {folder}")
    return path
