"""Previews of draft segments: the draft is compiled by dbt with the project's own macros
(`segment_preview_sql`, the code path of the build), then run on the current snapshot.

dbt parses the project once (`dbt parse`, a few seconds, at the first preview); each preview then
compiles one inline query against that manifest (`dbt compile --inline`, target `workbench` of
profiles.yml: an empty database named like the build's) with the snapshot's as_of. dbt does not
run two invocations in one process at once, so previews compile one at a time.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from dbt.cli.main import dbtRunner

from portrait.errors import PortraitError
from portrait.project import PROJECT_DIR


class DraftError(PortraitError):
    """A draft that does not compile: the message names the field, as for a definition file."""


class DraftCompiler:
    """Compiles draft segments to SQL with the project's macros."""

    def __init__(self, project_dir: Path = PROJECT_DIR):
        self.project_dir = project_dir
        self._manifest = None
        self._lock = threading.Lock()
        self._events: list[str] = []

    def _arguments(self) -> list[str]:
        return [
            "--project-dir", str(self.project_dir), "--profiles-dir", str(self.project_dir), "--target", "workbench",
            "--log-level", "none", "--log-level-file", "none", "--no-send-anonymous-usage-stats", "--no-partial-parse",
        ]  # fmt: skip

    def _runner(self) -> dbtRunner:
        return dbtRunner(manifest=self._manifest, callbacks=[lambda event: self._events.append(event.info.msg)])

    def warm(self) -> None:
        """Parses the project now (a server calls this at start, so the first preview is fast)."""
        with self._lock:
            self._parse()

    def _parse(self) -> None:
        if self._manifest is None:
            parsed = dbtRunner().invoke(["parse", *self._arguments()])
            if not parsed.success:
                raise PortraitError(f"dbt cannot parse the project: {parsed.exception}")
            self._manifest = parsed.result

    def forget(self) -> None:
        """Parses the project again at the next draft (after a definition file was written)."""
        with self._lock:
            self._manifest = None

    def segment_preview_sql(self, draft: dict, as_of: str) -> str:
        """The SQL of segment_preview_sql for `draft` (a segment definition as a dict) as of
        `as_of` (YYYY-MM-DD); DraftError naming the field when the draft is wrong."""
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        with self._lock:
            self._parse()
            self._events.clear()
            inline = "{{ segment_preview_sql(" + json.dumps(json.dumps(draft, ensure_ascii=False)) + ") }}"
            try:
                result = self._runner().invoke(
                    ["compile", "--inline", inline, "--vars", json.dumps({"as_of": as_of}), *self._arguments()]
                )
            finally:  # dbt adds the inline query to the manifest: the next draft starts without it
                for unique_id in [key for key in self._manifest.nodes if key.startswith("sql_operation.")]:
                    del self._manifest.nodes[unique_id]
        if not result.success:
            raise DraftError(_definition_message([*self._events, str(result.exception or "")]))
        return result.result.results[0].node.compiled_code


def _definition_message(messages: list[str]) -> str:
    """The definition error's own line (`Segment definition ...: field '...' ...`) out of dbt's
    messages, else their last line."""
    lines = [line.strip() for message in messages for line in message.splitlines() if line.strip()]
    named = [line for line in lines if line.startswith("Segment ")]
    return named[0] if named else (lines[-1] if lines else "the draft does not compile")
