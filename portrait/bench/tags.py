"""Benchmark of the tag build against one grouped scan of the events.

On a built database, runs the compiled SQL of the wide tag models (every customer, product and
store tag, fused per source) and one grouped scan of customer_events (count and latest date per
person), each as `create temp table ... as`, best of --repeat runs, and reports the seconds, the
number of tags and the ratio of the two (the goal: all tags in at most 3x one scan). Prints the
figures as JSON.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from portrait import warehouse
from portrait.bench import BenchError

TAG_MODELS = ("int_customer_tags", "int_product_tags", "int_store_tags")
ONE_SCAN = """
    select one_id, count(*) as events, max(event_date) as last_event_date
    from customers.customer_events
    group by one_id
"""


def best_seconds(con: duckdb.DuckDBPyConnection, sql: str, repeat: int) -> float:
    """The fewest wall seconds of `repeat` runs of `create or replace temp table ... as <sql>`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        con.execute(f"create or replace temp table bench_result as {sql}")
        times.append(time.perf_counter() - started)
    return min(times)


def run(db_path: Path, compiled_dir: Path, repeat: int = 3) -> dict:
    """Seconds of the tag models (their compiled SQL under compiled_dir) and of one grouped event
    scan on the database at db_path, best of `repeat` runs each: {tags, events,
    one_event_scan_seconds, tag_models_seconds: {model: seconds}, all_tags_seconds,
    all_tags_over_one_scan}. BenchError when the compiled SQL is missing; WarehouseError when the
    database is."""
    queries = {}
    for model in TAG_MODELS:
        path = compiled_dir / "portrait" / "models" / "tags" / f"{model}.sql"
        if not path.is_file():
            raise BenchError(
                f"{path} does not exist: run `portrait build` (or `dbt compile`) with this target path first"
            )
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
