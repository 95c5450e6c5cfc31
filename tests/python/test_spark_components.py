"""spark__connected_components checked against networkx and the DuckDB macro on the same edges.

Marked `spark` (skipped by default; `pytest -m spark tests/python/test_spark_components.py`).
The Spark macro is compiled in a throwaway dbt project holding only macros/identity (the whole
project does not need to parse on Spark), with the `spark` output of the project's profiles.yml;
dbt-spark's session method runs Spark in this process, so the compiled SQL is then run on the
same SparkSession over a temporary view `test_edges(node_a, node_b)`.
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

ROUNDS = 24  # var connected_components_spark_rounds: the graphs here have under 2^13 nodes


def compile_spark(project, inline: str, rounds: int) -> str:
    messages: list[str] = []
    result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
        ["compile", "--inline", inline, "--vars", f"{{connected_components_spark_rounds: {rounds}}}"]
        + ["--project-dir", str(project), "--profiles-dir", str(project), "--target", "spark"]
        + ["--target-path", str(project / "target"), "--log-path", str(project / "logs")]
    )
    assert result.success, messages
    return result.result.results[0].node.compiled_code


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    pytest.importorskip("pyspark")
    base = tmp_path_factory.mktemp("spark_components")
    (base / "macros").mkdir()
    shutil.copy(ROOT / "macros/identity/connected_components.sql", base / "macros")
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
def spark_sql(project) -> str:
    return compile_spark(project, "{{ connected_components('test_edges') }}", ROUNDS)


@pytest.fixture(scope="module")
def session(spark_sql):
    from pyspark.sql import SparkSession

    return SparkSession.builder.getOrCreate()  # the session dbt-spark opened


@pytest.fixture(scope="module")
def duckdb_sql(tmp_path_factory) -> str:
    base = tmp_path_factory.mktemp("duckdb_components")
    (base / "raw").mkdir()
    run = run_dbt(["compile", "--inline", "{{ connected_components('test_edges') }}"], base / "raw", base / "work")
    assert run.success, run.messages
    return run.results[0].node.compiled_code


def run_spark(session, sql: str, edges: list[Edge]) -> tuple[dict[str, str], int | None]:
    frame = session.createDataFrame(edges, "node_a string, node_b string")
    frame.createOrReplaceTempView("test_edges")
    rows = session.sql(sql).collect()
    labels = {row.node: row.component for row in rows}
    assert len(labels) == len(rows), "a node appears more than once"
    iterations = {row.iterations for row in rows}
    assert len(iterations) <= 1
    return labels, next(iter(iterations), None)


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


def test_spark_matches_networkx_and_duckdb(session, spark_sql, duckdb_sql):
    edges = mixed_graph(21)
    started = time.perf_counter()
    labels, iterations = run_spark(session, spark_sql, edges)
    seconds = time.perf_counter() - started
    assert labels == expected(edges)
    assert labels == run_duckdb(duckdb_sql, edges)
    assert 1 <= iterations <= ROUNDS
    print(f"spark connected_components: {len(labels)} nodes, {iterations} rounds, {seconds:.1f} s")


def test_spark_empty_and_self_loops_only(session, spark_sql):
    assert run_spark(session, spark_sql, [("x", "x"), ("y", "y"), ("z", None)]) == ({"x": "x", "y": "y", "z": "z"}, 0)


def test_spark_fails_loudly_without_convergence(project, session):
    """Too few rounds for a 1000-node chain: the query raises instead of returning partial labels."""
    from pyspark.errors import PySparkException

    sql = compile_spark(project, "{{ connected_components('test_edges') }}", 2)
    with pytest.raises((PySparkException, Exception), match="connected_components: edges left after 2 rounds"):
        run_spark(session, sql, path(ids(random.Random(3), 1000, prefix="chain:")))
