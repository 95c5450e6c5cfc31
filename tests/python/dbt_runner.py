"""Runs dbt in-process against an isolated DuckDB file and raw folder, for tests."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from dbt.adapters.duckdb.connections import DuckDBConnectionManager
from dbt.cli.main import dbtRunner

from portrait.envvars import temporary_environment

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DbtRun:
    success: bool
    results: list
    messages: list[str] = field(default_factory=list)

    def failures(self) -> list[str]:
        return [
            f"{r.node.unique_id}: {r.status} {r.message}" for r in self.results if r.status not in ("success", "pass")
        ]


def run_dbt(args: list[str], raw_dir: Path, work_dir: Path, project_dir: Path = ROOT) -> DbtRun:
    """`dbt <args>` with the project at project_dir, raw files from raw_dir, database and artifacts in work_dir."""
    work_dir.mkdir(parents=True, exist_ok=True)
    messages: list[str] = []
    env = {
        "PORTRAIT_RAW_DIR": str(raw_dir),
        "PORTRAIT_DB_PATH": str(work_dir / "portrait.duckdb"),
        "PORTRAIT_TEMP_DIR": str(work_dir / "tmp"),
    }
    with temporary_environment(env):
        result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
            [
                *args,
                "--project-dir",
                str(project_dir),
                "--profiles-dir",
                str(project_dir),
                "--target-path",
                str(work_dir / "target"),
                "--log-path",
                str(work_dir / "logs"),
            ]
        )
        _release_database()
    if result.exception is not None:
        raise result.exception
    return DbtRun(success=result.success, results=list(result.result or []), messages=messages)


def _release_database() -> None:
    """dbt-duckdb keeps its database open after a run; close it so tests can open the file."""
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def copy_project(destination: Path) -> Path:
    """A copy of the project's dbt files (no environment, data or build output), to change in a test.
    The Python package (portrait/, with the plugin profiles.yml names and the formulas the Python
    models import) and the old script paths (scripts/) are left out: dbt imports the installed package."""
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "build", "target", "logs", "data", "__pycache__", "scripts", "portrait", "*.egg-info"
    )
    shutil.copytree(ROOT, destination, ignore=ignore)
    return destination


def compile_error(
    project_dir: Path, definitions: Path, name: str, yaml_text: str, macro: str, raw_dir, work_dir
) -> str:
    """Adds a definitions file (`_<name>.yml` and its one-line model `<name>.sql` calling `macro`) to
    a project copy, compiles the definitions model and returns the error dbt reports."""
    (definitions / f"_{name}.yml").write_text(yaml_text, encoding="utf-8")
    (definitions / f"{name}.sql").write_text(f"{{{{ {macro}() }}}}\n", encoding="utf-8")
    model = "tag_definitions" if macro == "tags_defined_here" else "segment_definitions"
    try:
        run = run_dbt(["compile", "--select", model], raw_dir, work_dir, project_dir)
    except Exception as error:  # dbt raises compilation errors of the selected node
        return str(error)
    assert not run.success, "the definition compiled"
    return "\n".join(run.failures() + run.messages)
