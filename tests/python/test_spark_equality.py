"""The same project on Spark gives the same results as on DuckDB.

One small generated data set is built on both engines; every public model of the layers built on
Spark is compared row for row with DuckDB's: exact values, floats within REL_TOLERANCE. Left out:
the 64-bit row keys (DuckDB's hash() and Spark's xxhash64() differ by design; rows still pair
through the lineage columns) and the run stamps.
"""

from __future__ import annotations

import json

import duckdb
import pytest
from conftest import TEST_SEED
from dbt_runner import run_dbt
from spark_build import export_relations, spark_build
from table_compare import same_rows

from portrait import datagen

pytestmark = pytest.mark.spark

CUSTOMERS = 300
# The layers built on Spark (a dbt selector each); the comparison covers their public models.
# The layers compared so far (scores and what reads them differ in the last digits: Spark divides
# decimals in decimal arithmetic of 6 places, DuckDB in double; see docs/spark.md).
SCHEMAS = ["staging", "identity", "customers"]
LAYERS = [f"path:models/{schema}" for schema in SCHEMAS]
HASHED_KEYS = {"source_row_key"}
RUN_STAMPS = {"resolved_at", "first_assigned_at", "changed_at", "fitted_at", "last_computed_at"}
ENGINE_ROUNDS = {"component_iterations"}
REL_TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("spark_equality")
    data_dir = base / "data"
    datagen.generate(
        customers=CUSTOMERS, seed=TEST_SEED, out_dir=data_dir, start="2024-01-01", end="2026-09-30", file_format="mixed"
    )
    raw = data_dir / "raw"
    # tests of later layers that also read these layers' models stay out (cautious)
    selection = ["--select", *LAYERS, "identifier_types", "identifier_blocklist", "--indirect-selection", "cautious"]
    duck = run_dbt(["build", *selection], raw, base / "duckdb")
    assert duck.success, duck.failures()
    spark = spark_build(["build", *selection], raw, base / "spark")
    assert spark.returncode == 0, spark.stdout[-4000:]
    return base / "duckdb" / "portrait.duckdb", export_relations(base / "spark", SCHEMAS), base


def _public_models(base) -> list[tuple[str, str]]:
    manifest = json.loads((base / "duckdb" / "target" / "manifest.json").read_text())
    return sorted(
        (node["schema"], node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node.get("access") == "public" and node["schema"] in SCHEMAS
    )


def test_every_public_model_equals_duckdb(both_builds):
    database, exported, base = both_builds
    models = _public_models(base)
    assert len(models) == 45
    differing, missing = [], []
    with duckdb.connect() as con:
        con.execute(f"attach '{database}' as duck (read_only)")
        for schema, name in models:
            parquet = exported / f"{schema}.{name}.parquet"
            if not parquet.exists():
                missing.append(name)
                continue
            spark = f"read_parquet('{parquet}/*.parquet')"
            duck_columns = [row[0] for row in con.execute(f'describe duck."{schema}"."{name}"').fetchall()]
            spark_columns = [row[0] for row in con.execute(f"describe select * from {spark}").fetchall()]
            assert spark_columns == duck_columns, name
            columns = [c for c in duck_columns if c not in HASHED_KEYS | RUN_STAMPS | ENGINE_ROUNDS]
            if not same_rows(con, f'duck."{schema}"."{name}"', spark, columns, REL_TOLERANCE):
                differing.append(name)
    assert missing == [] and differing == []
