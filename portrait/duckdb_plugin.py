"""dbt-duckdb plugin of the project (declared in profiles.yml).

- Creates the folders of the database file and of DuckDB's spill directory before the database
  opens, so `dbt build`, `dbt seed` or any other entry point works on a fresh clone.
- Registers the SQL functions the landing step (macros/raw/) calls, both returning JSON text:
  `portrait_raw_files(folder VARCHAR)`, the data files under a source folder
  (`portrait.raw_files.list_raw_files`, with each file's format or null),
  `portrait_raw_folders(raw_dir VARCHAR)`, the raw directory's sub-folders (null when it is missing), and
  `portrait_prepare_raw_file(path VARCHAR)`, how to read one file
  (`portrait.raw_files.prepare_raw_file`; decoded copies are kept in `<database folder>/raw_decoded`).
"""

from __future__ import annotations

import atexit
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from portrait.raw_files import file_format, list_raw_files, list_raw_folders, prepare_raw_file


def _folder_of(path: str | None) -> Path | None:
    """The folder a file path lives in, or None for in-memory and remote databases."""
    if not path or path == ":memory:" or "://" in path or path.startswith("md:"):
        return None
    return Path(path).expanduser().resolve().parent


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        database_folder = _folder_of(self.creds.path if self.creds else None)
        self.cache_dir = str((database_folder or Path("build").resolve()) / "raw_decoded")

    def update_connection_config(self, creds, config: dict[str, Any]) -> None:
        database_folder = _folder_of(creds.path)
        if database_folder is not None:
            database_folder.mkdir(parents=True, exist_ok=True)
        if config.get("temp_directory"):
            os.makedirs(config["temp_directory"], exist_ok=True)

    def configure_connection(self, conn) -> None:
        cache_dir = self.cache_dir

        def portrait_raw_files(folder: str) -> str:
            return json.dumps([[path, file_format(path)] for path in list_raw_files(folder)], ensure_ascii=False)

        def portrait_raw_folders(raw_dir: str) -> str:
            return json.dumps(list_raw_folders(raw_dir), ensure_ascii=False)

        def portrait_prepare_raw_file(path: str) -> str:
            return json.dumps(asdict(prepare_raw_file(path, cache_dir)), ensure_ascii=False)

        for function in (portrait_raw_files, portrait_raw_folders, portrait_prepare_raw_file):
            conn.create_function(function.__name__, function, ["VARCHAR"], "VARCHAR", side_effects=True)
        # Tools that never close their connection (sqlfluff's dbt templater) would otherwise make
        # the DuckDB bindings report the registered functions as leaked at exit.
        atexit.register(conn.close)
