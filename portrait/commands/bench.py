"""`portrait bench [tags|components|export|curve]`: the full benchmark, one part of it alone, or the
full benchmark at several sizes."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from portrait import warehouse
from portrait.activation import spec
from portrait.bench import components as components_bench
from portrait.bench import curve as curve_bench
from portrait.bench import export as export_bench
from portrait.bench import full as full_bench
from portrait.bench import increment as increment_bench
from portrait.bench import spark as spark_bench
from portrait.bench import tags as tags_bench
from portrait.bench import workbench as workbench_bench
from portrait.commands.options import HelpFormatter, iso_date, non_negative_int, positive_int, seed_number

# The full benchmark's options by dest, with their defaults (applied after parsing, so that a
# part can tell they were given). Their dests differ from the parts' options of the same name
# (--seed, --chain, --out), so a part never reads them by mistake.
FULL_DEFAULTS = {
    "full_customers": 100_000,
    "full_seed": 42,
    "full_threads": os.cpu_count() or 1,
    "full_graph_edges": 10_000_000,
    "full_chain": 100_000,
    "full_out": None,
    "full_increment": None,
    "full_increment_as_of": None,
    "full_spark": False,
}


def existing_folder(text: str) -> Path:
    """A folder that exists (an argparse type)."""
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a folder: {text!r}")
    return path


def size_list(text: str) -> list[int]:
    """Comma-separated numbers of customers, each once, sorted (an argparse type)."""
    try:
        return curve_bench.parse_sizes(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(commands, shared) -> None:
    """Adds the command's parser to `commands` (shared: the parent parsers of shared options)."""
    parser = commands.add_parser(
        "bench",
        help="benchmark generate + build at a scale, or one part alone",
        description=full_bench.__doc__
        + "\nWith a part (tags, components, export), runs that part alone; `curve` runs the whole"
        " benchmark at several sizes.",
        formatter_class=HelpFormatter,
    )
    add = parser.add_argument
    add(
        "--customers", dest="full_customers", type=positive_int, metavar="N", help="people to generate (default 100000)"
    )
    add("--seed", dest="full_seed", type=seed_number, metavar="SEED", help="generator seed (default 42)")
    add("--threads", dest="full_threads", type=positive_int, metavar="N", help="dbt threads (default: the CPUs)")
    add(
        "--graph-edges",
        dest="full_graph_edges",
        type=non_negative_int,
        metavar="N",
        help="edges of the components benchmark graph (0 skips it; default 10000000)",
    )
    add(
        "--chain",
        dest="full_chain",
        type=positive_int,
        metavar="N",
        help="nodes of the components benchmark path (default 100000)",
    )
    add("--out", dest="full_out", type=Path, metavar="FOLDER", help="report folder (default build/bench/<customers>)")
    add(
        "--increment",
        dest="full_increment",
        type=existing_folder,
        metavar="FOLDER",
        help="then copy this folder's raw files (<source>/... or raw/<source>/...) into the benchmark's raw"
        " folder and time a second dbt build (needs --increment-as-of)",
    )
    add(
        "--increment-as-of",
        dest="full_increment_as_of",
        type=iso_date,
        metavar="DATE",
        help="the dbt var as_of of the second build (YYYY-MM-DD)",
    )
    add(
        "--spark",
        dest="full_spark",
        action="store_const",
        const=True,
        help="then build the same raw files with `dbt build --target spark` (Spark local, `make install-spark`)"
        " and report both wall times and their ratio",
    )
    parser.set_defaults(parser=parser, handler=run_full)
    parts = parser.add_subparsers(title="parts (run alone)", dest="bench_part", metavar="[<part>]")
    _register_tags(parts, shared)
    _register_components(parts)
    _register_export(parts, shared)
    _register_curve(parts)
    _register_workbench(parts, shared)


def _register_workbench(parts, shared) -> None:
    parser = parts.add_parser(
        "workbench",
        help="page load and segment preview latency of the workbench (built database)",
        description=workbench_bench.__doc__,
        formatter_class=HelpFormatter,
        parents=[shared.database],
    )
    parser.add_argument(
        "--rounds", type=positive_int, default=5, metavar="N", help="timed requests of each (default 5)"
    )
    parser.set_defaults(parser=parser, handler=run_workbench)


def run_workbench(args: argparse.Namespace) -> int:
    """The workbench benchmark alone; prints its figures as Markdown."""
    _full_options(args)
    print(workbench_bench.format_markdown(workbench_bench.run(warehouse.database_path(args.db), args.rounds)))
    return 0


def _register_tags(parts, shared) -> None:
    parser = parts.add_parser(
        "tags",
        help="tag models against one grouped event scan (built database)",
        description=tags_bench.__doc__,
        formatter_class=HelpFormatter,
        parents=[shared.database, shared.target],
    )
    parser.add_argument(
        "--repeat", type=positive_int, default=3, metavar="N", help="runs of each query; the best counts (default 3)"
    )
    parser.set_defaults(parser=parser, handler=run_tags)


def _register_components(parts) -> None:
    parser = parts.add_parser(
        "components",
        help="the connected_components macro against scipy",
        description=components_bench.__doc__,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--edges",
        type=positive_int,
        default=10_000_000,
        metavar="N",
        help="edges of the random graph (default 10000000)",
    )
    parser.add_argument(
        "--chain", type=positive_int, default=100_000, metavar="N", help="nodes of the path (default 100000)"
    )
    parser.add_argument("--seed", type=seed_number, default=42, help="random seed (default 42)")
    parser.set_defaults(parser=parser, handler=run_components)


def _register_export(parts, shared) -> None:
    parser = parts.add_parser(
        "export",
        help="export throughput to CSV and Parquet (built database)",
        description=export_bench.__doc__,
        formatter_class=HelpFormatter,
        parents=[shared.database],
    )
    parser.add_argument("--segment", metavar="CODE", help="segment code (default: the largest segment)")
    parser.add_argument(
        "--destination",
        default="bi_generic",
        metavar="NAME",
        help="destination whose spec is timed (default bi_generic)",
    )
    parser.add_argument("--people", type=positive_int, metavar="N", help="time the files of the first N people instead")
    parser.add_argument(
        "--repeat", type=positive_int, default=1, metavar="N", help="runs per format; the best counts (default 1)"
    )
    parser.add_argument(
        "--out", type=Path, metavar="FOLDER", help="scratch export folder (default: a temporary folder)"
    )
    parser.set_defaults(parser=parser, handler=run_export)


def _register_curve(parts) -> None:
    parser = parts.add_parser(
        "curve",
        help="the full benchmark at several sizes: the scaling curve",
        description=curve_bench.__doc__ + "\nexample:\n  portrait bench curve --sizes 100000,1000000",
        formatter_class=HelpFormatter,
    )
    add = parser.add_argument
    add(
        "--sizes",
        type=size_list,
        required=True,
        metavar="N,N,...",
        help="customers to generate at each point, comma-separated (e.g. 100000,1000000)",
    )
    add("--seed", type=seed_number, default=42, help="generator seed (default 42)")
    add(
        "--threads", type=positive_int, default=os.cpu_count() or 1, metavar="N", help="dbt threads (default: the CPUs)"
    )
    add(
        "--graph-edges",
        type=non_negative_int,
        default=10_000_000,
        metavar="N",
        help="edges of the components benchmark graph, at the first size only (0 skips it; default 10000000)",
    )
    add(
        "--chain", type=positive_int, default=100_000, metavar="N", help="nodes of the components path (default 100000)"
    )
    add("--out", type=Path, metavar="FOLDER", help="curve folder (default build/bench/curve)")
    parser.set_defaults(parser=parser, handler=run_curve)


def _full_options(args: argparse.Namespace) -> dict:
    """The full benchmark's options with their defaults; a bad argument when a part was chosen too."""
    given = [name for name in FULL_DEFAULTS if getattr(args, name, None) is not None]
    if given and args.bench_part:
        flags = ", ".join("--" + name.removeprefix("full_").replace("_", "-") for name in given)
        args.parser.error(f"options of the full benchmark ({flags}) do not apply to `bench {args.bench_part}`")
    values = {name: getattr(args, name, None) for name in FULL_DEFAULTS}
    return {
        name.removeprefix("full_"): default if values[name] is None else values[name]
        for name, default in FULL_DEFAULTS.items()
    }


def run_full(args: argparse.Namespace) -> int:
    """The full benchmark; writes report.json and report.md and prints the Markdown."""
    options = _full_options(args)
    if (options["increment"] is None) != (options["increment_as_of"] is None):
        args.parser.error("--increment and --increment-as-of go together")
    if options["increment"] is not None:
        increment_bench.increment_files(options["increment"])  # before the hour of the full build
    if options["spark"]:
        spark_bench.check_installed()
    out_dir = (options["out"] or full_bench.default_out_dir(options["customers"])).resolve()
    report = full_bench.run_benchmark(
        options["customers"], options["seed"], out_dir, options["threads"], options["graph_edges"], options["chain"]
    )
    if options["increment"] is not None:
        full_bench.write_report(report, out_dir)  # the full build's report stands if the second build fails
        report["increment"] = increment_bench.run_increment_build(
            out_dir,
            options["increment"].resolve(),
            options["increment_as_of"],
            options["threads"],
            report["dbt_build"]["seconds"],
        )
    if options["spark"]:
        full_bench.write_report(report, out_dir)  # DuckDB's report stands if the Spark build fails
        report["spark"] = spark_bench.run(out_dir, options["threads"], report["dbt_build"]["seconds"])
    print(full_bench.write_report(report, out_dir))
    print(f"report: {out_dir / 'report.json'}, {out_dir / 'report.md'}")
    return 0


def run_curve(args: argparse.Namespace) -> int:
    """The scaling curve; writes curve.json and curve.md (and a report per size) and prints the Markdown."""
    _full_options(args)
    out_dir = (args.out or full_bench.PROJECT_DIR / "build" / "bench" / "curve").resolve()
    rows = curve_bench.run_curve(args.sizes, args.seed, out_dir, args.threads, args.graph_edges, args.chain)
    print(curve_bench.format_markdown(rows, args.threads))
    print(f"curve: {out_dir / 'curve.json'}, {out_dir / 'curve.md'}")
    return 0


def run_tags(args: argparse.Namespace) -> int:
    """The tag benchmark alone; prints its figures as JSON."""
    _full_options(args)
    figures = tags_bench.run(warehouse.database_path(args.db), args.target / "compiled", args.repeat)
    print(json.dumps(figures, indent=2))
    return 0


def run_components(args: argparse.Namespace) -> int:
    """The components benchmark alone; prints its figures as JSON."""
    _full_options(args)
    figures = components_bench.run(args.edges, args.chain, args.seed)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


def run_export(args: argparse.Namespace) -> int:
    """The export benchmark alone; prints its figures as JSON (an unknown destination is a bad argument)."""
    _full_options(args)
    con = warehouse.connect(warehouse.database_path(args.db))
    destinations = spec.load_destinations(con)
    if args.destination not in destinations:
        args.parser.error(f"unknown destination '{args.destination}'; known: {', '.join(destinations)}")
    figures = export_bench.run(con, destinations[args.destination], args.segment, args.people, args.repeat, args.out)
    print(json.dumps(figures, indent=2))
    return 0
