"""`portrait summary`: what a build produced."""

from __future__ import annotations

import argparse

from portrait import summary, warehouse
from portrait.commands.options import HelpFormatter


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "summary",
        help="print what a build produced (rows, OneID, tags, segments)",
        description=summary.__doc__.replace("What a build produced, as text:", "Print what a build produced:"),
        formatter_class=HelpFormatter,
        parents=[shared.database],
    )
    parser.set_defaults(parser=parser, handler=run)


def run(args: argparse.Namespace) -> int:
    """Prints the summary of the build."""
    with warehouse.connect(warehouse.database_path(args.db)) as con:
        print(summary.format_summary(con))
    return 0
