"""`portrait build`: `dbt build` of the project, with any further arguments passed to dbt."""

from __future__ import annotations

import argparse

from portrait import snapshots, warehouse
from portrait.commands.options import HelpFormatter
from portrait.project import dbt_build, target_type

DESCRIPTION = """Run `dbt build` (seeds, models, snapshots, data and unit tests) in the project folder
and exit with dbt's exit code (0 success, 1 a model or test failed, 2 dbt could not run). Every
argument after `build` goes to dbt unchanged. The profile is the project's profiles.yml unless
$DBT_PROFILES_DIR says otherwise; the raw files are read from $PORTRAIT_RAW_DIR (default
data/demo/raw) and the database is $PORTRAIT_DB_PATH (default build/portrait.duckdb), relative
paths being relative to the project folder. After a successful build on DuckDB the database is
published as the current read-only snapshot for the workbench ($PORTRAIT_SNAPSHOT_DIR, default
build/snapshots; the newest 3 are kept).

examples:
  portrait build
  portrait build --select path:models/segments+ --vars '{as_of: "2026-06-30"}'"""


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "build",
        help="run `dbt build` in the project (other arguments go to dbt)",
        description=DESCRIPTION,
        formatter_class=HelpFormatter,
        usage="%(prog)s [-h] [dbt build arguments ...]",
        allow_abbrev=False,
    )
    parser.set_defaults(parser=parser, handler=run, passes_arguments_through=True)


def run(args: argparse.Namespace) -> int:
    """`dbt build` with the arguments passed through, then, after success on DuckDB, a snapshot
    published; dbt's exit code."""
    code = dbt_build(args.passed_through)
    if code == 0 and target_type(args.passed_through) == "duckdb":
        published = snapshots.publish(warehouse.database_path(), snapshots.snapshot_dir())
        print(f"Published snapshot {published}")
    return code
