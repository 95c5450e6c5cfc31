"""`portrait explain identity|segment`: why a build answered as it did."""

from __future__ import annotations

import argparse

from portrait import warehouse
from portrait.commands.options import HelpFormatter
from portrait.explain import identity as identity_explanation
from portrait.explain import segment as segment_explanation

IDENTITY_EXAMPLES = """
examples:
  portrait explain identity member_id:M00012345 phone:13800138001
  portrait explain identity phone:13800138001"""


def identifier(text: str) -> str:
    """`<type>:<value>` as typed (the value is normalised against the database later)."""
    if ":" not in text:
        raise argparse.ArgumentTypeError(f"{text!r} is not <type>:<value>")
    return text


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "explain",
        help="explain a OneID link or a customer's segment membership",
        description="Explain a build's answers: `identity` (why identifiers are one person, an\n"
        "identifier's owners) or `segment` (why a customer is or is not a member).",
        formatter_class=HelpFormatter,
    )
    kinds = parser.add_subparsers(title="what to explain", dest="explain_kind", metavar="<what>", required=True)
    identity_parser = kinds.add_parser(
        "identity",
        help="why two identifiers are (not) one person, or who held one identifier",
        description=identity_explanation.__doc__ + IDENTITY_EXAMPLES,
        formatter_class=HelpFormatter,
        parents=[shared.database],
    )
    identity_parser.add_argument("identifier_a", type=identifier, help="e.g. member_id:M00012345")
    identity_parser.add_argument(
        "identifier_b", type=identifier, nargs="?", help="e.g. phone:13800138001 (left out: the owners of identifier_a)"
    )
    identity_parser.set_defaults(parser=identity_parser, handler=run_identity)
    segment_parser = kinds.add_parser(
        "segment",
        help="why a customer is or is not a member of a segment",
        description=segment_explanation.__doc__,
        formatter_class=HelpFormatter,
        parents=[shared.database],
    )
    segment_parser.add_argument("segment", help="segment code, e.g. dormant_vip_winback")
    segment_parser.add_argument("one_id", help="the customer's one_id")
    segment_parser.set_defaults(parser=segment_parser, handler=run_segment)


def run_identity(args: argparse.Namespace) -> int:
    """Prints why the identifiers are (not) one person, or who held one identifier."""
    with warehouse.connect(warehouse.database_path(args.db)) as con:
        nodes = [identity_explanation.canonical_node(con, text) for text in (args.identifier_a, args.identifier_b)]
        print(identity_explanation.explain(con, *nodes))
    return 0


def run_segment(args: argparse.Namespace) -> int:
    """Prints why the customer is (not) a member of the segment."""
    with warehouse.connect(warehouse.database_path(args.db)) as con:
        print(segment_explanation.explain(con, args.segment, args.one_id))
    return 0
