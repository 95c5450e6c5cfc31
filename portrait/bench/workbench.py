"""Benchmark: the workbench on a built database. Each page is requested over HTTP (FastAPI's test
client, signed in as an analyst: no network, the app's own time) `rounds` times after one warm-up
request; the segment builder's preview (compile with the build's macros + query) runs for the rule
of every active starter segment without an SQL condition (those are not drafted in the
workbench) `rounds` times. Reports p50 and p95 in milliseconds (the median
and the 95th percentile, statistics.quantiles with n=20, inclusive method) and the one-off dbt
parse the server does at start."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from portrait.bench import BenchError


def _percentiles(samples: list[float]) -> dict:
    """{p50_ms, p95_ms, samples} of durations in seconds."""
    cuts = statistics.quantiles(samples, n=20, method="inclusive") if len(samples) > 1 else samples * 19
    return {
        "p50_ms": round(1000 * statistics.median(samples)),
        "p95_ms": round(1000 * cuts[18]),
        "samples": len(samples),
    }


def run(database: Path, rounds: int = 5) -> dict:
    """{customers, parse_seconds, pages: {path: percentiles}, preview: percentiles (all rules),
    preview_rules} for the database file `database` (read-only; served through a snapshot folder
    that links to it). BenchError when it does not exist."""
    from fastapi.testclient import TestClient

    from portrait.web import auth
    from portrait.web.app import Settings, create_app

    if not database.is_file():
        raise BenchError(f"database {database} does not exist: build it first")
    with tempfile.TemporaryDirectory(prefix="portrait-workbench-bench-") as folder:
        base = Path(folder)
        (base / "snapshots").mkdir()
        (base / "snapshots" / "portrait-bench.duckdb").symlink_to(database.resolve())
        (base / "snapshots" / "CURRENT").write_text("portrait-bench.duckdb\n")
        settings = Settings(base / "snapshots", base / "users.yml", base / "access_log.jsonl", "bench")
        auth.Accounts(settings.users_file).add("bench", "analyst", "bench-password")
        app = create_app(settings)
        reader = app.state.reader
        started = time.perf_counter()
        app.state.compiler.warm()
        parse_seconds = time.perf_counter() - started
        client = TestClient(app)
        client.post("/login", data={"name": "bench", "password": "bench-password"})
        person = reader.value("select one_id from identity.identity_clusters order by identifiers desc, one_id limit 1")
        segment = reader.value("select segment_code from segments.segment_sizes order by members desc limit 1")
        pages = ["/", "/tags", "/tags/lifecycle_stage", "/segments/new", "/segments", f"/segments/{segment}",
                 f"/customers/{person}", "/lifecycle", "/campaigns", "/identity"]  # fmt: skip
        timings = {}
        for page in pages:
            client.get(page)
            samples = []
            for _ in range(rounds):
                began = time.perf_counter()
                response = client.get(page)
                samples.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise BenchError(f"{page} answered {response.status_code}")
            timings[page] = _percentiles(samples)
        rules = [json.loads(row["rule"]) for row in reader.rows(
            "select rule from segments.segment_definitions where status = 'active'"
            " and segment_type in ('dynamic', 'suppression') and rule is not null"
            """ and not contains(cast(rule as varchar), '"sql":') order by segment_code"""
        )]  # fmt: skip
        previews = []
        for rule in rules:
            for _ in range(rounds):
                began = time.perf_counter()
                response = client.post("/segments/preview", json={"rule": rule})
                previews.append(time.perf_counter() - began)
                if response.status_code != 200:
                    raise BenchError(f"preview of {rule} answered {response.status_code}: {response.text}")
        customers = reader.value("select count(*) from customers.customers")
        reader.close()
    return {
        "customers": customers,
        "parse_seconds": round(parse_seconds, 1),
        "pages": timings,
        "preview": _percentiles(previews),
        "preview_rules": len(rules),
    }


def format_markdown(figures: dict) -> str:
    """The figures as a Markdown table."""
    lines = [
        f"Workbench at {figures['customers']:,} customers (dbt parse at start: {figures['parse_seconds']} s):",
        "",
        "| request | p50 (ms) | p95 (ms) | samples |",
        "| --- | ---: | ---: | ---: |",
        *[f"| GET {page} | {t['p50_ms']} | {t['p95_ms']} | {t['samples']} |" for page, t in figures["pages"].items()],
        f"| segment preview ({figures['preview_rules']} starter rules) | {figures['preview']['p50_ms']} | "
        f"{figures['preview']['p95_ms']} | {figures['preview']['samples']} |",
    ]
    return "\n".join(lines) + "\n"
