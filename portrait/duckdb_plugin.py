"""dbt-duckdb plugin of the project (declared in profiles.yml).

- Creates the folders of the database file and of DuckDB's spill directory before the database
  opens, so `dbt build`, `dbt seed` or any other entry point works on a fresh clone.
- Registers the SQL function `portrait_prepare_raw_file(path VARCHAR) -> VARCHAR` used by the
  landing step (macros/raw/): a JSON object {read_path, encoding, multiline} from
  `portrait.raw_files.prepare_raw_file`, with decoded copies kept in `<database folder>/raw_decoded`.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from portrait.raw_files import prepare_raw_file


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

        def portrait_prepare_raw_file(path: str) -> str:
            return json.dumps(asdict(prepare_raw_file(path, cache_dir)), ensure_ascii=False)

        conn.create_function(
            "portrait_prepare_raw_file", portrait_prepare_raw_file, ["VARCHAR"], "VARCHAR", side_effects=True
        )
