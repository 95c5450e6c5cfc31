"""The connected_components macro checked against networkx on many graphs.

The macro is compiled once (dbt compile --inline) and its SQL run with DuckDB on each graph,
loaded into a table `test_edges(node_a, node_b)`.
"""

from __future__ import annotations

import math
import random
import re
import time

import duckdb
import networkx as nx
import pytest
from dbt.cli.main import dbtRunner
from dbt_runner import ROOT, run_dbt

SPLIT = "-- next statement --"
INLINE = f"""{{{{ connected_components('test_edges') }}}}
{SPLIT}
{{{{ connected_components('other_edges', node_a='left_id', node_b='right_id') }}}}
"""

Edge = tuple[str | None, str | None]


@pytest.fixture(scope="module")
def compiled(tmp_path_factory) -> list[str]:
    """The macro's SQL: [on test_edges(node_a, node_b), on other_edges(left_id, right_id)]."""
    base = tmp_path_factory.mktemp("connected_components")
    (base / "raw").mkdir()
    run = run_dbt(["compile", "--inline", INLINE], base / "raw", base / "work")
    assert run.success, run.messages
    return [part.strip() for part in run.results[0].node.compiled_code.split(SPLIT)]


@pytest.fixture(scope="module")
def sql(compiled) -> str:
    return compiled[0]


@pytest.fixture
def con():
    with duckdb.connect() as connection:
        yield connection


def load(con, edges: list[Edge], table: str = "test_edges", columns=("node_a", "node_b"), type_="varchar"):
    left, right = columns
    con.execute(
        f"create or replace table {table} as select unnest($a::{type_}[]) as {left}, unnest($b::{type_}[]) as {right}",
        {"a": [a for a, _ in edges], "b": [b for _, b in edges]},
    )


def expected(edges: list[Edge]) -> dict[str, str]:
    """node -> smallest node of its component, by networkx."""
    graph = nx.Graph()
    for a, b in edges:
        graph.add_nodes_from(node for node in (a, b) if node is not None)
        if a is not None and b is not None:
            graph.add_edge(a, b)
    return {node: smallest for group in nx.connected_components(graph) for smallest in [min(group)] for node in group}


def run(con, sql: str, edges: list[Edge]) -> tuple[dict[str, str], int | None]:
    """Loads the edges, runs the macro's SQL, checks one row per node; returns (node -> component, iterations)."""
    load(con, edges)
    rows = con.execute(sql).fetchall()
    labels = {node: component for node, component, _ in rows}
    assert len(labels) == len(rows), "a node appears more than once"
    iterations = {row[2] for row in rows}
    assert len(iterations) <= 1, f"iterations differ between rows: {iterations}"
    return labels, next(iter(iterations), None)


def check(con, sql: str, edges: list[Edge]) -> int | None:
    """The macro's partition equals networkx's, labelled by each group's smallest node; returns iterations."""
    labels, iterations = run(con, sql, edges)
    assert labels == expected(edges)
    return iterations


def ids(rng: random.Random, count: int, prefix: str = "phone:") -> list[str]:
    """Distinct random identifiers in random order."""
    return [f"{prefix}1{number:010d}" for number in rng.sample(range(10**10), count)]


def path(nodes: list[str]) -> list[Edge]:
    return list(zip(nodes, nodes[1:], strict=False))


def random_graph(seed: int, nodes: int, edges: int) -> list[Edge]:
    rng = random.Random(seed)
    names = ids(rng, nodes)
    return [(rng.choice(names), rng.choice(names)) for _ in range(edges)]


@pytest.mark.parametrize(
    ("seed", "nodes", "edges"),
    [(1, 3000, 300), (2, 3000, 1500), (3, 3000, 3000), (4, 3000, 6000), (5, 1000, 20000), (6, 20000, 30000)],
)
def test_random_graphs(con, sql, seed, nodes, edges):
    check(con, sql, random_graph(seed, nodes, edges))


def test_long_path_in_shuffled_order(con, sql):
    rng = random.Random(11)
    nodes = ids(rng, 100_000, prefix="unionid:o")
    edges = path(nodes)
    rng.shuffle(edges)
    started = time.perf_counter()
    iterations = check(con, sql, edges)
    assert time.perf_counter() - started < 5
    assert iterations <= 40


@pytest.mark.parametrize("length", [2, 10, 100, 1_000, 10_000])
def test_rounds_grow_with_log_of_diameter(con, sql, length):
    rng = random.Random(length)
    iterations = check(con, sql, path(ids(rng, length + 1)))
    assert 1 <= iterations <= 3 * math.log2(length) + 4


def test_sorted_path(con, sql):
    """Ids in path order must not slow the contraction down (it works in hash order)."""
    iterations = check(con, sql, path([f"member:{i:08d}" for i in range(20_000)]))
    assert iterations <= 3 * math.log2(20_000) + 4


def test_star(con, sql):
    hub = "member:5000000"
    leaves = ids(random.Random(3), 50_000)
    iterations = check(con, sql, [(hub, leaf) if i % 2 else (leaf, hub) for i, leaf in enumerate(leaves)])
    assert iterations <= 6


def test_cycles(con, sql):
    rng = random.Random(5)
    edges: list[Edge] = []
    for length in (3, 4, 17, 1000, 5000):
        nodes = ids(rng, length, prefix=f"cycle{length}:")
        edges += path(nodes) + [(nodes[-1], nodes[0])]
    check(con, sql, edges)


def test_many_small_components(con, sql):
    rng = random.Random(8)
    names = ids(rng, 15_000)
    edges: list[Edge] = []
    for i in range(0, len(names), 3):
        a, b, c = names[i : i + 3]
        edges += [(a, b)] if i % 2 else [(a, b), (b, c)]
    rng.shuffle(edges)
    check(con, sql, edges)


def test_self_loops(con, sql):
    edges: list[Edge] = [("alone:1", "alone:1"), ("alone:2", "alone:2"), ("alone:2", "alone:2")]
    edges += [("pair:a", "pair:b"), ("pair:b", "pair:b"), ("pair:a", "pair:a")]
    labels, iterations = run(con, sql, edges)
    assert labels == {"alone:1": "alone:1", "alone:2": "alone:2", "pair:a": "pair:a", "pair:b": "pair:a"}
    assert iterations == 2


def test_only_self_loops(con, sql):
    labels, iterations = run(con, sql, [("x", "x"), ("y", "y")])
    assert labels == {"x": "x", "y": "y"}
    assert iterations == 0


def test_duplicate_and_reversed_edges(con, sql):
    base = random_graph(9, 2000, 2500)
    edges = base + [(b, a) for a, b in base[::2]] + base[::3]
    random.Random(9).shuffle(edges)
    check(con, sql, edges)


def test_null_endpoints(con, sql):
    labels, _ = run(con, sql, [("a", None), (None, "b"), (None, None), ("c", "d"), ("d", None)])
    assert labels == {"a": "a", "b": "b", "c": "c", "d": "c"}


def test_empty(con, sql):
    assert run(con, sql, []) == ({}, None)


def test_complete_graph(con, sql):
    names = ids(random.Random(13), 300)
    iterations = check(con, sql, [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]])
    assert iterations <= 3


def test_hash_collisions(con, sql):
    """With the hash cut to 3 values nearly every node collides: the exact fallback ids take over."""
    weak, replaced = re.subn(r"(hash\([^)]*\)) >> 1", r"(\1 % 3)", sql)
    assert replaced == 3
    check(con, weak, random_graph(14, 500, 400) + [("solo", "solo")])


def test_other_columns_and_types(con, compiled):
    """Custom column names; non-text ids are compared as text ('10' < '9')."""
    edges = [(9, 10), (10, 11), (20, 3), (7, 7)]
    load(con, edges, table="other_edges", columns=("left_id", "right_id"), type_="integer")
    rows = con.execute(compiled[1]).fetchall()
    assert {node: component for node, component, _ in rows} == {
        "9": "10",
        "10": "10",
        "11": "10",
        "20": "20",
        "3": "20",
        "7": "7",
    }


def test_inside_a_cte_with_clashing_names(con, sql):
    """The SQL works as a CTE body and its own CTEs do not hide the caller's."""
    load(con, [("a", "b"), ("c", "d")], table="source")
    query = f"""
        with
        nodes as (select 'unused' as x),
        edges as (select 'unused' as x),
        test_edges as (select node_a, node_b from source union all select 'b', 'c'),
        components as (
            {sql}
        )
        select node, component from components order by node
    """
    assert con.execute(query).fetchall() == [("a", "a"), ("b", "a"), ("c", "a"), ("d", "a")]


def test_other_adapters_get_a_clear_error(tmp_path, monkeypatch):
    """The default implementation (any adapter without its own) stops compilation with a message naming the macro."""
    paths = {
        "PORTRAIT_RAW_DIR": tmp_path,
        "PORTRAIT_DB_PATH": tmp_path / "db.duckdb",
        "PORTRAIT_TEMP_DIR": tmp_path / "tmp",
    }
    for name, value in paths.items():
        monkeypatch.setenv(name, str(value))
    messages: list[str] = []
    inline = "{{ default__connected_components('test_edges', 'node_a', 'node_b') }}"
    result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
        ["compile", "--inline", inline, "--project-dir", str(ROOT), "--profiles-dir", str(ROOT)]
        + ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    )
    assert not result.success
    assert any("connected_components has no implementation for the 'duckdb' adapter" in message for message in messages)
