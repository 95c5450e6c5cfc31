"""Shared command-line pieces: a parser whose errors are one line, argument types, and the options
several commands take (defined once here)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import NoReturn

from portrait.project import PROJECT_DIR

MAX_SEED = 2**63 - 1


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument prints one line (`<prog>: error: ...`) and exits with 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions keep their line breaks (examples stay readable); help lines are wrapped."""


def _whole_number(text: str, minimum: int, expected: str, maximum: int | None = None) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {expected}, got {text!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise argparse.ArgumentTypeError(f"expected {expected}, got {value}")
    return value


def positive_int(text: str) -> int:
    """A whole number from 1 (an argparse type)."""
    return _whole_number(text, 1, "a positive whole number")


def non_negative_int(text: str) -> int:
    """A whole number from 0 (an argparse type)."""
    return _whole_number(text, 0, "a whole number from 0")


def seed_number(text: str) -> int:
    """A random seed: a whole number from 0 to 2^63-1 (what numpy's generators take)."""
    return _whole_number(text, 0, "a whole number from 0 to 2^63-1", MAX_SEED)


def iso_date(text: str) -> dt.date:
    """A YYYY-MM-DD date (an argparse type)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def comma_list(text: str) -> list[str]:
    """`a, b,,c` -> ['a', 'b', 'c'] (an empty list when the text names nothing)."""
    return [item.strip() for item in text.split(",") if item.strip()]


def database_options() -> ArgumentParser:
    """--db, for every command that reads a built database (a parent parser)."""
    parser = ArgumentParser(add_help=False)
    parser.add_argument(
        "--db",
        metavar="FILE",
        help="DuckDB file (default: $PORTRAIT_DB_PATH or build/portrait.duckdb in the project)",
    )
    return parser


def target_options() -> ArgumentParser:
    """--target, the dbt target folder of the build (a parent parser)."""
    parser = ArgumentParser(add_help=False)
    parser.add_argument(
        "--target",
        type=Path,
        default=PROJECT_DIR / "target",
        metavar="FOLDER",
        help="dbt target folder of the build (default: target/ in the project)",
    )
    return parser
