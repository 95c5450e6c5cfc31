"""Benchmark of the tag build against one grouped scan of the events.

On a built database, runs the compiled SQL of the wide tag models (every customer, product and
store tag, fused per source) and one grouped scan of customer_events (count and latest date per
person), each as `create temp table ... as`, best of --repeat runs, and reports the seconds, the
number of tags and the ratio of the two (the goal: all tags in at most 3x one scan). Prints the
figures as JSON; `run()` returns them for `make bench`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb
import warehouse
from cli import ArgumentParser, positive_int

ROOT = Path(__file__).resolve().parent.parent
TAG_MODELS = ("int_customer_tags", "int_product_tags", "int_store_tags")
ONE_SCAN = """
    select one_id, count(*) as events, max(event_date) as last_event_date
    from customers.customer_events
    group by one_id
"""


class BenchError(Exception):
    pass


def best_seconds(con: duckdb.DuckDBPyConnection, sql: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        con.execute(f"create or replace temp table bench_result as {sql}")
        times.append(time.perf_counter() - started)
    return min(times)


def run(db_path: Path, compiled_dir: Path, repeat: int = 3) -> dict:
    """Seconds of the tag models and of one grouped event scan on the database at db_path."""
    queries = {}
    for model in TAG_MODELS:
        path = compiled_dir / "portrait" / "models" / "tags" / f"{model}.sql"
        if not path.is_file():
            raise BenchError(f"{path} does not exist: run `dbt build` (or `dbt compile`) with this target path first")
        queries[model] = path.read_text()
    with warehouse.connect(db_path) as con:
        tags = con.execute("select count(*) from tags.tag_definitions where status != 'retired'").fetchone()[0]
        events = con.execute("select count(*) from customers.customer_events").fetchone()[0]
        scan = best_seconds(con, ONE_SCAN, repeat)
        per_model = {model: best_seconds(con, sql, repeat) for model, sql in queries.items()}
    total = sum(per_model.values())
    return {
        "tags": tags,
        "events": events,
        "one_event_scan_seconds": round(scan, 3),
        "tag_models_seconds": {model: round(seconds, 3) for model, seconds in per_model.items()},
        "all_tags_seconds": round(total, 3),
        "all_tags_over_one_scan": round(total / scan, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, help="built database (default $PORTRAIT_DB_PATH or build/portrait.duckdb)")
    parser.add_argument("--target", type=Path, default=ROOT / "target", help="dbt target folder with compiled SQL")
    parser.add_argument("--repeat", type=positive_int, default=3, help="runs of each query; the best counts")
    args = parser.parse_args(argv)
    try:
        figures = run(warehouse.database_path(args.db and str(args.db)), args.target / "compiled", args.repeat)
    except (BenchError, warehouse.WarehouseError) as error:
        print(f"bench_tags: {error}", file=sys.stderr)
        return 1
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
