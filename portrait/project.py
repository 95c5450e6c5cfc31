"""The dbt project this package belongs to: its folder, its settings, and `dbt build` run in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from portrait.errors import PortraitError

# The package lives in the project folder (installed editable by `make install`).
PROJECT_DIR = Path(__file__).resolve().parent.parent


def business_time_zone() -> str:
    """The business time zone of the project (var business_time_zone in dbt_project.yml)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project.get("vars", {}).get("business_time_zone", "Asia/Shanghai")


def dbt_executable() -> str:
    """The `dbt` beside this Python (the project's virtual environment), else the one on PATH;
    PortraitError when there is none."""
    beside = Path(sys.executable).parent / "dbt"
    if beside.is_file():
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        raise PortraitError("dbt is not installed: run `make install`")
    return found


def target_type(arguments: Sequence[str] = ()) -> str | None:
    """The adapter type ('duckdb', 'spark') of the profile target a dbt command with `arguments`
    uses: --target/-t, else $PORTRAIT_TARGET, else dev, looked up in the project's profiles.yml;
    None for a target it does not declare (or profiles from elsewhere, $DBT_PROFILES_DIR)."""
    target = os.environ.get("PORTRAIT_TARGET", "dev")
    for flag, value in zip(arguments, [*arguments[1:], None], strict=False):
        if flag in ("--target", "-t") and value:
            target = value
        elif flag.startswith("--target="):
            target = flag.split("=", 1)[1]
    profiles_dir = Path(os.environ.get("DBT_PROFILES_DIR", PROJECT_DIR))
    if profiles_dir.resolve() != PROJECT_DIR.resolve():
        return None
    profiles = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    return profiles["portrait"]["outputs"].get(target, {}).get("type")


def spark_settings(warehouse: Path) -> dict[str, str]:
    """The environment variables of a `--target spark` run (profiles.yml's spark output) whose
    warehouse is `warehouse` (its Derby metastore beside it): the target, the warehouse, the
    Python that Spark's script transformations run (this one, which imports portrait) and
    Spark's local address ($SPARK_LOCAL_IP, default 127.0.0.1)."""
    return {
        "PORTRAIT_TARGET": "spark",
        "PORTRAIT_SPARK_WAREHOUSE": str(warehouse),
        "PORTRAIT_PYTHON": sys.executable,
        "SPARK_LOCAL_IP": os.environ.get("SPARK_LOCAL_IP", "127.0.0.1"),
    }


def dbt_build(arguments: Sequence[str] = (), env: Mapping[str, str] | None = None) -> int:
    """Runs `dbt build <arguments>` in the project folder and returns dbt's exit code (0 success,
    1 a model or test failed, 2 dbt could not run). The profile is the project's profiles.yml
    unless $DBT_PROFILES_DIR or --profiles-dir says otherwise; relative paths in the environment
    ($PORTRAIT_DB_PATH, $PORTRAIT_RAW_DIR) are relative to the project folder."""
    environment = dict(os.environ if env is None else env)
    environment.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    # Spark runs the landing's file step (portrait.spark_landing) with this Python
    environment.setdefault("PORTRAIT_PYTHON", sys.executable)
    command = [dbt_executable(), "build", *arguments]
    return subprocess.run(command, cwd=PROJECT_DIR, env=environment, check=False).returncode
