"""`portrait quality identity`: OneID scored against the demo data's ground truth."""

from __future__ import annotations

import argparse
from pathlib import Path

from portrait import warehouse
from portrait.bench import identity_quality
from portrait.commands.options import HelpFormatter


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "quality",
        help="score a build against the generated data's ground truth",
        description="Score a build against the ground truth the demo-data generator writes.",
        formatter_class=HelpFormatter,
    )
    checks = parser.add_subparsers(title="what to score", dest="quality_check", metavar="<what>", required=True)
    identity_parser = checks.add_parser(
        "identity",
        help="OneID's pairwise precision and recall against the ground truth",
        description=identity_quality.__doc__,
        formatter_class=HelpFormatter,
        parents=[shared.database],
    )
    identity_parser.add_argument(
        "--ground-truth",
        type=Path,
        default=Path("data/demo/ground_truth"),
        metavar="FOLDER",
        help="the generator's ground_truth folder (default: data/demo/ground_truth)",
    )
    identity_parser.set_defaults(parser=identity_parser, handler=run_identity)


def run_identity(args: argparse.Namespace) -> int:
    """Prints OneID's pairwise figures against the ground truth, one per line."""
    with warehouse.connect(warehouse.database_path(args.db)) as con:
        scores = identity_quality.score(con, args.ground_truth)
    for name, value in scores.items():
        print(f"{name:<30} {value:.5f}" if isinstance(value, float) else f"{name:<30} {value:,}")
    return 0
