"""Benchmark of the connected_components macro (identity resolution) against scipy.

Compiles the macro with dbt and runs its SQL with DuckDB (as `create table ... as`, like a table
model) on a random graph of --edges edges between string ids such as 'phone:13000123456' (about
0.8 ids per edge: one giant component and many small ones), and times scipy's
connected_components on the same edges as integers in the same run. Then times the macro on a
path of --chain nodes with ids in random order, the worst case for label propagation. Prints the
figures as JSON.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from portrait.bench import BenchError
from portrait.envvars import temporary_environment
from portrait.project import PROJECT_DIR

# Ids are drawn from 0.87 * edges numbers; about 90% of them end up on an edge (mean degree 2.3),
# so a graph has about 0.8 nodes per edge.
ID_SPACE_PER_EDGE = 0.87

GOALS = {"edges_seconds": 30.0, "ratio_to_scipy": 10.0, "chain_seconds": 5.0}


def compile_macro(edges: str = "bench_edges") -> str:
    """The macro's SQL over the relation `edges(node_a, node_b)`, compiled by dbt in-process."""
    from dbt.cli.main import dbtRunner  # dbt takes a second to import: only when benchmarking

    with (
        tempfile.TemporaryDirectory() as tmp,
        temporary_environment(
            {
                "PORTRAIT_DB_PATH": f"{tmp}/portrait.duckdb",
                "PORTRAIT_RAW_DIR": f"{tmp}/raw",
                "PORTRAIT_TEMP_DIR": f"{tmp}/tmp",
            }
        ),
    ):
        Path(tmp, "raw").mkdir()
        result = dbtRunner().invoke(
            [
                "--log-level",
                "none",
                "compile",
                "--inline",
                f"{{{{ connected_components('{edges}') }}}}",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                f"{tmp}/target",
                "--log-path",
                f"{tmp}/logs",
            ]
        )
    if not result.success:
        raise BenchError(f"dbt compile failed: {result.exception}")
    return result.result.results[0].node.compiled_code


def phase_seconds(profile: dict) -> dict[str, float]:
    """Operator seconds (summed over threads) per top-level CTE of the statement, from DuckDB's JSON profile.

    CTEs used once are inlined by DuckDB and count towards their user; the rest is `final select`.
    """

    def total(node: dict) -> float:
        return node.get("timing", 0.0) + sum(total(child) for child in node.get("children", []))

    phases: dict[str, float] = {}
    node, final = profile["operator"][0], 0.0
    while node["type"] != "CTE" and len(node.get("children", [])) == 1:
        final += node.get("timing", 0.0)
        node = node["children"][0]
    while node["type"] == "CTE" and len(node.get("children", [])) == 2:
        definition, rest = node["children"]
        name = node["extra_info"].get("CTE Name", "?").removeprefix("_cc_")
        phases[name] = round(node.get("timing", 0.0) + total(definition), 2)
        node = rest
    phases["final select"] = round(final + total(node), 2)
    return phases


def time_macro(con: duckdb.DuckDBPyConnection, sql: str, profile: Path) -> tuple[float, dict]:
    """Wall seconds of `create table bench_components as <sql>` and its DuckDB profile."""
    con.execute("pragma enable_profiling = 'json'")
    con.execute(f"pragma profiling_output = '{profile}'")
    started = time.perf_counter()
    con.execute(f"create or replace table bench_components as {sql}")
    seconds = time.perf_counter() - started
    details = json.loads(profile.read_text())
    con.execute("pragma disable_profiling")
    return seconds, details


def random_graph(con: duckdb.DuckDBPyConnection, edges: int, seed: int) -> int:
    """Tables bench_ids(a, b) (integers) and bench_edges(node_a, node_b) (phone ids); returns the id range."""
    ids = max(2, round(edges * ID_SPACE_PER_EDGE))
    rng = np.random.default_rng(seed)
    con.register("bench_arrays", {"a": rng.integers(0, ids, edges), "b": rng.integers(0, ids, edges)})
    con.execute("create or replace table bench_ids as select a, b from bench_arrays")
    con.unregister("bench_arrays")
    con.execute(
        """
        create or replace table bench_edges as
        select
            'phone:' || (13000000000 + a)::varchar as node_a,
            'phone:' || (13000000000 + b)::varchar as node_b
        from bench_ids
        """
    )
    return ids


def chain_graph(con: duckdb.DuckDBPyConnection, nodes: int, seed: int) -> None:
    """bench_edges as a path through `nodes` member ids taken in random order."""
    con.register("bench_order", {"i": np.random.default_rng(seed).permutation(nodes), "position": np.arange(nodes)})
    con.execute(
        """
        create or replace table bench_edges as
        with ordered as (
            select 'member:' || lpad(i::varchar, 10, '0') as node, position from bench_order
        ),
        linked as (
            select node as node_a, lead(node) over (order by position) as node_b from ordered
        )
        select node_a, node_b from linked where node_b is not null
        """
    )
    con.unregister("bench_order")


def scipy_components(con: duckdb.DuckDBPyConnection, ids: int) -> tuple[float, int, int]:
    """Seconds for scipy (sparse matrix build + connected_components) on bench_ids; components and largest
    component among the ids on an edge."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    arrays = con.execute("select a, b from bench_ids").fetchnumpy()
    a, b = arrays["a"].astype(np.int64), arrays["b"].astype(np.int64)
    started = time.perf_counter()
    graph = coo_matrix((np.ones(len(a), dtype=bool), (a, b)), shape=(ids, ids)).tocsr()
    _, labels = connected_components(graph, directed=False)
    seconds = time.perf_counter() - started
    used = np.zeros(ids, dtype=bool)
    used[a] = used[b] = True
    sizes = np.bincount(labels[used])
    return seconds, int(np.count_nonzero(sizes)), int(sizes.max())


def run(edges: int = 10_000_000, chain: int = 100_000, seed: int = 42) -> dict:
    """Benchmark figures: the macro on a random graph of `edges` edges vs scipy, and on a path of `chain` nodes."""
    sql = compile_macro("bench_edges")
    with tempfile.TemporaryDirectory() as tmp, duckdb.connect(config={"temp_directory": f"{tmp}/spill"}) as con:
        ids = random_graph(con, edges, seed)
        seconds, profile = time_macro(con, sql, Path(tmp, "profile.json"))
        nodes, components, largest, iterations = con.execute(
            """
            select sum(size)::bigint, count(*), max(size), any_value(iterations)
            from (select component, count(*) as size, any_value(iterations) as iterations
                  from bench_components group by component)
            """
        ).fetchall()[0]
        scipy_seconds, scipy_count, scipy_largest = scipy_components(con, ids)
        if (components, largest) != (scipy_count, scipy_largest):
            raise BenchError(
                f"the macro found {components} components (largest {largest}), scipy {scipy_count} ({scipy_largest})"
            )
        chain_graph(con, chain, seed)
        chain_seconds, _ = time_macro(con, sql, Path(tmp, "chain_profile.json"))
        chain_nodes, chain_components, chain_iterations = con.execute(
            "select count(*), count(distinct component), max(iterations) from bench_components"
        ).fetchall()[0]
        if chain > 1 and (chain_nodes, chain_components) != (chain, 1):
            raise BenchError(f"the chain of {chain} nodes gave {chain_nodes} nodes in {chain_components} components")
        threads = con.execute("select current_setting('threads')").fetchall()[0][0]
    phases = phase_seconds(profile)
    figures = {
        "cpus": os.cpu_count(),
        "duckdb_threads": int(threads),
        "edges": edges,
        "nodes": nodes,
        "components": components,
        "largest_component": largest,
        "macro_seconds": round(seconds, 2),
        "scipy_seconds": round(scipy_seconds, 2),
        "ratio_to_scipy": round(seconds / max(scipy_seconds, 1e-9), 1),
        "iterations": iterations,
        "macro_peak_memory_mib": round(profile.get("system", {}).get("peak_buffer_memory", 0) / 2**20),
        "macro_operator_seconds_by_phase": phases,
        "dominant_phase": max(phases, key=phases.get),
        "chain_nodes": chain,
        "chain_seconds": round(chain_seconds, 2),
        "chain_iterations": chain_iterations,
    }
    figures["goals_met"] = {
        f"edges under {GOALS['edges_seconds']:g} s": seconds < GOALS["edges_seconds"],
        f"at most {GOALS['ratio_to_scipy']:g}x scipy": seconds <= GOALS["ratio_to_scipy"] * scipy_seconds,
        f"chain under {GOALS['chain_seconds']:g} s": chain_seconds < GOALS["chain_seconds"],
    }
    return figures
