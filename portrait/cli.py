"""The `portrait` command: demo data, `dbt build`, audience exports, reports, explanations and
benchmarks of the customer profile platform, one sub-command each (`portrait <command> --help`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import duckdb

from portrait.commands import COMMANDS
from portrait.commands.options import ArgumentParser, HelpFormatter, database_options, target_options
from portrait.errors import PortraitError

EPILOG = """typical use:
  portrait generate --customers 20000 --out data/demo   # demo data
  portrait build                                         # dbt build into build/portrait.duckdb
  portrait summary                                       # what the build produced
  portrait export --segments skincare_lovers --destinations sms"""


def _version() -> str:
    try:
        return version("portrait")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def build_parser() -> ArgumentParser:
    """The whole command tree; every parser's errors are one line and exit code 2."""
    parser = ArgumentParser(
        prog="portrait",
        description=__doc__,
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(
        title="commands", dest="command", metavar="<command>", required=True, parser_class=ArgumentParser
    )
    shared = argparse.Namespace(database=database_options(), target=target_options())
    for command in COMMANDS:
        command.register(commands, shared)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs `portrait <argv>` and returns the exit code: 0 done, 1 a failure the message explains
    (one line on stderr, no traceback), 2 a bad argument; `portrait build` returns dbt's code."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        parser.error(f"unrecognized arguments: {argv[0]} (options go after the command: portrait <command> ...)")
    args, passed_through = parser.parse_known_args(argv)
    if getattr(args, "passes_arguments_through", False):
        args.passed_through = passed_through
    elif passed_through:
        args.parser.error(f"unrecognized arguments: {' '.join(passed_through)}")
    try:
        return args.handler(args)
    except PortraitError as error:
        return _fail(args.parser.prog, _first_line(error))
    except duckdb.CatalogException as error:  # a database built without some of the models read
        return _fail(args.parser.prog, f"{_first_line(error)}: build the whole project first (`portrait build`)")
    except KeyboardInterrupt:
        return _fail(args.parser.prog, "interrupted", code=130)
    except BrokenPipeError:  # the reader stopped early (`portrait summary | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _first_line(error: Exception) -> str:
    """The first line of an error's message (its type name when it has none)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _fail(prog: str, message: str, code: int = 1) -> int:
    print(f"{prog}: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
