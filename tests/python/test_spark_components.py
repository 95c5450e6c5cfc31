"""spark__connected_components checked against networkx and the DuckDB macro on the same edges.

Marked `spark` (skipped by default; `pytest -m spark tests/python/test_spark_components.py`).
The Spark macro runs a loop of statements over work tables before the model's query, so it is
exercised by `dbt run` of a table model `components` (connected_components of the source
`main.test_edges`, with the post-hook that drops the work tables) in a throwaway dbt project
holding only macros/identity (the whole project does not need to parse on Spark), with the
`spark` output of the project's profiles.yml. dbt-spark's session method runs Spark in this
process, so the edges are written and the labels read on the same SparkSession.
"""

from __future__ import annotations

import os
import random
import shutil
import time

import duckdb
import pytest
import yaml
from dbt.cli.main import dbtRunner
from dbt_runner import ROOT, run_dbt
from test_connected_components import Edge, expected, ids, path, random_graph

pytestmark = pytest.mark.spark

MODEL = """{{ config(materialized='table', post_hook="{{ connected_components_drop_work_tables() }}") }}
{{ connected_components(source('test', 'edges')) }}
"""
BY_NAME = """{{ config(materialized='table') }}
with test_edges as (select * from {{ source('test', 'edges') }})
{{ connected_components('test_edges') }}
"""
SOURCES = {
    "version": 2,
    "sources": [{"name": "test", "schema": "main", "tables": [{"name": "edges", "identifier": "test_edges"}]}],
}
SETUP = "{% macro setup() %}{% do run_query('create schema if not exists main') %}{% endmacro %}"


def dbt(project, args: list[str], max_rounds: int | None = None) -> tuple[bool, list[str]]:
    messages: list[str] = []
    vars_ = [] if max_rounds is None else ["--vars", f"{{connected_components_spark_max_rounds: {max_rounds}}}"]
    result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
        [*args, *vars_, "--project-dir", str(project), "--profiles-dir", str(project), "--target", "spark"]
        + ["--target-path", str(project / "target"), "--log-path", str(project / "logs")]
    )
    return result.success, messages


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    pytest.importorskip("pyspark")
    base = tmp_path_factory.mktemp("spark_components")
    (base / "macros").mkdir()
    (base / "models").mkdir()
    shutil.copy(ROOT / "macros/identity/connected_components.sql", base / "macros")
    (base / "macros/setup.sql").write_text(SETUP)
    (base / "models/components.sql").write_text(MODEL)
    (base / "models/by_name.sql").write_text(BY_NAME)
    (base / "models/sources.yml").write_text(yaml.safe_dump(SOURCES))
    (base / "dbt_project.yml").write_text(
        yaml.safe_dump({"name": "portrait", "version": "0.1.0", "config-version": 2, "profile": "portrait"})
    )
    profiles = yaml.safe_load((ROOT / "profiles.yml").read_text())
    spark = profiles["portrait"]["outputs"]["spark"]
    profile = {"portrait": {"target": "spark", "outputs": {"spark": spark}}}
    (base / "profiles.yml").write_text(yaml.safe_dump(profile))
    os.environ.setdefault("PORTRAIT_SPARK_WAREHOUSE", str(base / "warehouse"))
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return base


@pytest.fixture(scope="module")
def session(project):
    from pyspark.sql import SparkSession

    ok, messages = dbt(project, ["run-operation", "setup"])  # opens dbt-spark's session, with the profile's settings
    assert ok, messages
    return SparkSession.builder.getOrCreate()


@pytest.fixture(scope="module")
def duckdb_sql(tmp_path_factory) -> str:
    base = tmp_path_factory.mktemp("duckdb_components")
    (base / "raw").mkdir()
    run = run_dbt(["compile", "--inline", "{{ connected_components('test_edges') }}"], base / "raw", base / "work")
    assert run.success, run.messages
    return run.results[0].node.compiled_code


def load(session, edges: list[Edge]) -> None:
    frame = session.createDataFrame(edges, "node_a string, node_b string")
    frame.write.mode("overwrite").format("parquet").saveAsTable("main.test_edges")


def work_tables(session) -> list[str]:
    return [row.tableName for row in session.sql("show tables in main like 'components__cc_*'").collect()]


def run_spark(project, session, edges: list[Edge]) -> tuple[dict[str, str], int | None, float]:
    """Runs the model on the edges: (node -> component, iterations, seconds of the dbt run)."""
    load(session, edges)
    started = time.perf_counter()
    ok, messages = dbt(project, ["run", "--select", "components"])
    seconds = time.perf_counter() - started
    assert ok, messages
    assert work_tables(session) == []
    rows = session.table("main.components").collect()
    labels = {row.node: row.component for row in rows}
    assert len(labels) == len(rows), "a node appears more than once"
    iterations = {row.iterations for row in rows}
    assert len(iterations) <= 1
    return labels, next(iter(iterations), None), seconds


def run_duckdb(sql: str, edges: list[Edge]) -> dict[str, str]:
    with duckdb.connect() as con:
        con.execute(
            "create table test_edges as select unnest($a::varchar[]) as node_a, unnest($b::varchar[]) as node_b",
            {"a": [a for a, _ in edges], "b": [b for _, b in edges]},
        )
        return {node: component for node, component, _ in con.execute(sql).fetchall()}


def mixed_graph(seed: int) -> list[Edge]:
    """Several random components, a shuffled 1000-node chain, a cycle, self-loops, duplicate and
    reversed edges and null endpoints, in one edge list."""
    rng = random.Random(seed)
    edges = random_graph(seed, 3000, 2500)
    chain = ids(rng, 1000, prefix="chain:")
    edges += path(chain)
    cycle = ids(rng, 300, prefix="cycle:")
    edges += path(cycle) + [(cycle[-1], cycle[0])]
    edges += [("alone:1", "alone:1"), ("pair:a", "pair:b"), ("pair:b", "pair:b"), ("pair:a", "pair:a")]
    edges += [(b, a) for a, b in edges[::3]] + edges[::5]
    edges += [("lone", None), (None, "other"), (None, None), ("pair:b", None)]
    rng.shuffle(edges)
    return edges


def check(project, session, duckdb_sql, edges: list[Edge], name: str) -> int | None:
    labels, iterations, seconds = run_spark(project, session, edges)
    assert labels == expected(edges)
    assert labels == run_duckdb(duckdb_sql, edges)
    print(
        f"spark connected_components, {name}: {len(edges)} edges, {len(labels)} nodes,"
        f" {iterations} rounds, {seconds:.1f} s"
    )
    return iterations


def test_spark_matches_networkx_and_duckdb(project, session, duckdb_sql):
    iterations = check(project, session, duckdb_sql, mixed_graph(21), "mixed graph")
    assert 1 <= iterations <= 2 * 14 + 8


def test_spark_chain_of_1000(project, session, duckdb_sql):
    rng = random.Random(5)
    edges = path(ids(rng, 1000, prefix="chain:"))
    rng.shuffle(edges)
    assert 1 <= check(project, session, duckdb_sql, edges, "1000-node chain") <= 2 * 10 + 8


def test_spark_random_graph(project, session, duckdb_sql):
    edges = random_graph(22, 120_000, 100_000) + random_graph(23, 2000, 3000)
    assert check(project, session, duckdb_sql, edges, "random graph") >= 1


def test_spark_empty_and_self_loops_only(project, session):
    labels, iterations, _ = run_spark(project, session, [("x", "x"), ("y", "y"), ("z", None)])
    assert (labels, iterations) == ({"x": "x", "y": "y", "z": "z"}, 0)
    assert run_spark(project, session, [])[:2] == ({}, None)


def test_spark_fails_loudly_past_the_bound(project, session):
    """Too few rounds for a 1000-node chain: the run fails naming the macro, no labels, no work tables left."""
    load(session, path(ids(random.Random(3), 1000, prefix="chain:")))
    ok, messages = dbt(project, ["run", "--select", "components"], max_rounds=2)
    assert not ok
    assert any("spark__connected_components" in m and "edges left after 2 rounds" in m for m in messages), messages
    assert work_tables(session) == []


def test_spark_needs_a_relation(project, session):
    ok, messages = dbt(project, ["run", "--select", "by_name"])
    assert not ok
    assert any("spark__connected_components) needs a relation" in m for m in messages), messages
