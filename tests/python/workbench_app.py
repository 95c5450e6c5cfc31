"""The workbench over a published snapshot of the test build, with one account per role, for the
HTTP and browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from portrait import snapshots
from portrait.web import auth
from portrait.web.app import Settings, create_app

PASSWORD = "correct horse battery"
ROLES = ("viewer", "marketer", "analyst", "admin")


def published_workbench(build, base: Path, project_dir: Path | None = None):
    """(app, database copy, settings): the build's database copied to base, published as a
    snapshot in base/snapshots, accounts `viewer`, `marketer`, `analyst`, `admin` (password PASSWORD)."""
    database = base / "portrait.duckdb"
    shutil.copyfile(build.work_dir / "portrait.duckdb", database)
    settings = Settings(base / "snapshots", base / "users.yml", base / "access_log.jsonl", "test-key")
    if project_dir is not None:
        settings = Settings(**{**settings.__dict__, "project_dir": project_dir})
    snapshots.publish(database, settings.snapshot_dir)
    accounts = auth.Accounts(settings.users_file)
    for role in ROLES:
        accounts.add(role, role, PASSWORD)
    return create_app(settings), database, settings
