"""The same project on Spark gives the same results as on DuckDB.

Two data sets are built on both engines: generated demo data (the whole project, every model and
test) and the CDNOW sample (the purchase models, as test_purchase_models builds them). Every
public model built is compared row for row with DuckDB's: exact values (one_ids included), floats
within REL_TOLERANCE. Left out: the 64-bit row keys (DuckDB's hash() and Spark's xxhash64() differ
by design; rows still pair through the lineage columns), the run stamps, and the identity loop's
round count (a property of each engine's algorithm).
"""

from __future__ import annotations

import json

import cdnow
import duckdb
import pytest
from conftest import TEST_SEED
from dbt_runner import ROOT, run_dbt
from spark_build import export_relations, spark_build
from table_compare import same_rows
from test_purchase_models import CALIBRATION_END

from portrait import datagen

pytestmark = pytest.mark.spark

CUSTOMERS = 300
SCHEMAS = ["staging", "identity", "customers", "scores", "tags", "segments", "campaigns", "activation"]
HASHED_KEYS = {"source_row_key"}
RUN_STAMPS = {"resolved_at", "first_assigned_at", "changed_at", "fitted_at", "last_computed_at"}
ENGINE_ROUNDS = {"component_iterations"}
# Fits run the same Python on the same rows; sums of doubles may add in another order on Spark.
REL_TOLERANCE = 1e-9


def _build_both(base, raw, args: list[str]):
    """DuckDB's database file and the folder of Spark's relations exported as Parquet."""
    duck = run_dbt(args, raw, base / "duckdb")
    assert duck.success, duck.failures()
    spark = spark_build(args, raw, base / "spark")
    assert spark.returncode == 0, spark.stdout[-4000:]
    return base / "duckdb" / "portrait.duckdb", export_relations(base / "spark", SCHEMAS)


@pytest.fixture(scope="module")
def demo_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("spark_equality")
    datagen.generate(
        customers=CUSTOMERS,
        seed=TEST_SEED,
        out_dir=base / "data",
        start="2024-01-01",
        end="2026-09-30",
        file_format="mixed",
    )
    return (*_build_both(base, base / "data" / "raw", ["build"]), base)


@pytest.fixture(scope="module")
def cdnow_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("spark_cdnow")
    cdnow.write_raw_orders(cdnow.sample_lines(ROOT / "build" / "cache"), base / "raw")
    args = ["build", "--select", "+customer_clv", "--vars", f'{{as_of: "{CALIBRATION_END}"}}']
    return (*_build_both(base, base / "raw", [*args, "--indirect-selection", "cautious"]), base)


def _public_models_built(base) -> list[tuple[str, str]]:
    """(schema, name) of every public model DuckDB's build of `base` ran."""
    manifest = json.loads((base / "duckdb" / "target" / "manifest.json").read_text())
    results = json.loads((base / "duckdb" / "target" / "run_results.json").read_text())["results"]
    ran = {result["unique_id"] for result in results if result["status"] == "success"}
    return sorted(
        (node["schema"], node["name"])
        for unique_id, node in manifest["nodes"].items()
        if unique_id in ran and node["resource_type"] == "model" and node.get("access") == "public"
    )


def _differences(database, exported, models) -> dict[str, str]:
    """{model: what differs} over `models` between DuckDB's file and Spark's export."""
    differences = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{database}' as duck (read_only)")
        for schema, name in models:
            parquet = exported / f"{schema}.{name}.parquet"
            if not parquet.exists():
                differences[name] = "missing on Spark"
                continue
            spark = f"read_parquet('{parquet}/*.parquet')"
            duck_columns = [row[0] for row in con.execute(f'describe duck."{schema}"."{name}"').fetchall()]
            spark_columns = [row[0] for row in con.execute(f"describe select * from {spark}").fetchall()]
            if spark_columns != duck_columns:
                differences[name] = f"columns {spark_columns} != {duck_columns}"
                continue
            columns = [c for c in duck_columns if c not in HASHED_KEYS | RUN_STAMPS | ENGINE_ROUNDS]
            if not same_rows(con, f'duck."{schema}"."{name}"', spark, columns, REL_TOLERANCE):
                differences[name] = "rows differ"
    return differences


def test_every_public_model_of_the_demo_equals_duckdb(demo_builds):
    database, exported, base = demo_builds
    models = _public_models_built(base)
    assert {schema for schema, _ in models} == set(SCHEMAS) and len(models) == 91
    assert _differences(database, exported, models) == {}


def test_the_cdnow_purchase_models_equal_duckdb(cdnow_builds):
    database, exported, base = cdnow_builds
    models = _public_models_built(base)
    assert ("scores", "customer_clv") in models and ("scores", "model_gamma_gamma_params") in models
    assert _differences(database, exported, models) == {}
