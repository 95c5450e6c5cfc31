"""Runs the installed `portrait` command (or an old script path) in a subprocess, as a user would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from dbt_runner import ROOT

# The command `pip install --editable .` put beside this Python (the project's virtual environment).
_BESIDE = Path(sys.executable).parent / "portrait"
PORTRAIT = str(_BESIDE) if _BESIDE.exists() else shutil.which("portrait") or "portrait"


def run_portrait(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`portrait <args>`: exit code, stdout and stderr as text."""
    return subprocess.run([PORTRAIT, *args], cwd=cwd, capture_output=True, text=True, check=False)


def run_script(path: str, *args: str) -> subprocess.CompletedProcess:
    """`python <path> <args>` in the project folder (an old script path such as scripts/summary.py)."""
    return subprocess.run([sys.executable, path, *args], cwd=ROOT, capture_output=True, text=True, check=False)
