"""The Spark twins of the dbt Python models (models/<layer>/spark/<model>.sql, through
portrait/spark_models/ as script transformations) against the DuckDB Python models, on the same
hand-made rows of their inputs.

(a) Plain Python: each DuckDB model runs with a stand-in `dbt` object whose refs are tables of an
in-memory DuckDB (its own code: queries, order, output casts), and each Spark adapter module reads
the same rows written as Spark writes them (tab-separated text, \\N for null).
(b) Spark: the same rows as tables of a local Spark session, each twin compiled by dbt (--target
spark, in this process: dbt-spark's session method shares the session) and its SQL run there.

Fits see the same rows in the same order, so estimates agree within 1e-9 relative. Marked `spark`
(skipped by default; `pytest -m spark tests/python/test_spark_python_models.py`).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import math
import os
import random
from datetime import date, datetime, timedelta

import duckdb
import pytest
from dbt_runner import ROOT

from portrait.spark_models import NULL, read_input

pytestmark = pytest.mark.spark

REL = 1e-9
AS_OF = "2026-09-30"
TWINS = {
    "int_identity_limit_splits": "identity",
    "model_bgnbd_params": "scores",
    "model_gamma_gamma_params": "scores",
    "customer_clv": "scores",
    "model_propensity_fit": "scores",
    "customer_purchase_propensity": "scores",
    "segment_lookalike_fits": "segments",
}
CONFIG = {
    "model_bgnbd_params": {"as_of": AS_OF, "time_unit_days": "7"},
    "model_gamma_gamma_params": {"as_of": AS_OF},
    "customer_clv": {"horizon_months": "12", "monthly_discount_rate": "0.01"},
    "model_propensity_fit": {
        "as_of": AS_OF,
        "horizon_days": "30",
        "holdout_share": "0.3",
        "min_positives": "50",
        "min_negatives": "50",
        "min_history_days": "180",
    },  # fmt: skip
    "customer_purchase_propensity": {},
    "segment_lookalike_fits": {"min_seed": "50"},
    "int_identity_limit_splits": {},
}


# --- hand-made inputs: {table: (DDL columns, rows)} ------------------------------------------------


def identity_inputs(rng: random.Random) -> dict:
    types = [("member_id", 1, 1, None), ("phone", 1, 2, 90), ("email", 2, 3, None), ("openid", 3, 4, None)]
    nodes = [(f"{kind}:{index}", kind, days) for kind, _, _, days in types for index in range(40)]
    edges, start = [], datetime(2023, 1, 1)
    for rank in range(1, 301):
        (node_a, type_a, days_a), (node_b, type_b, days_b) = rng.sample(nodes, 2)
        first = start + timedelta(
            days=rng.randrange(900), seconds=rng.randrange(86400), microseconds=rng.choice([0, 250000])
        )
        last = first + timedelta(days=rng.randrange(200)) if rng.random() < 0.9 else None
        first = first if rng.random() < 0.95 else None
        edges.append((node_a, type_a, days_a, node_b, type_b, days_b, first, last, rank))
    return {
        "identifier_types": (
            "identifier_type string, max_per_person bigint, priority bigint",
            [row[:3] for row in types],
        ),
        "int_identity_over_limit_edges": (
            "node_a string, type_a string, reassign_after_days_a bigint, node_b string, type_b string,"
            " reassign_after_days_b bigint, first_seen_at timestamp, last_seen_at timestamp, strength_rank bigint",
            edges,
        ),
    }


def purchase_summary(rng: random.Random) -> list[tuple]:
    """BG/NBD-like buyers: weekly purchase rates from a gamma, dropout after each purchase."""
    rows = []
    for index in range(600):
        age = float(rng.randrange(1, 79))
        rate, dropout = rng.gammavariate(0.243, 1 / 4.414), rng.betavariate(0.793, 2.426)  # CDNOW's fit
        frequency, recency, time = 0, 0.0, 0.0
        while True:
            time += rng.expovariate(rate)
            if time > age:
                break
            frequency, recency = frequency + 1, float(int(time))
            if rng.random() < dropout:
                break
        amount = round(rng.gammavariate(6.0, 5.0) + 1, 2) if frequency else None
        rows.append((f"p{index:04d}", frequency, min(recency, age) if frequency else 0.0, age, amount))
    return rows


def purchase_inputs(rng: random.Random) -> dict:
    summary = (
        "one_id string, frequency bigint, recency double, age double, repeat_mean_amount double",
        purchase_summary(rng),
    )
    fit_columns = ", ".join(
        f"{name} double" for name in ("r", "alpha", "a", "b", "r_standard_error", "alpha_standard_error",
                                      "a_standard_error", "b_standard_error", "log_likelihood")
    )  # fmt: skip
    gamma_columns = ", ".join(
        f"{name} double"
        for name in (
            "p",
            "q",
            "gamma",
            "p_standard_error",
            "q_standard_error",
            "gamma_standard_error",
            "log_likelihood",
        )
    )
    return {
        "customer_purchase_summary": summary,
        # the published CDNOW estimates: the scores under known fits
        "model_bgnbd_params": (
            fit_columns + ", buyers bigint, repeat_buyers bigint, distinct_summaries bigint, time_unit_days bigint,"
            " fit_status string",
            [(0.243, 4.414, 0.793, 2.426, *[0.01] * 4, -9582.4, 2357, 1000, 900, 7, "fitted")],
        ),
        "model_gamma_gamma_params": (
            gamma_columns + ", repeat_buyers bigint, fit_status string",
            [(6.25, 3.74, 15.44, 0.1, 0.1, 0.1, -1000.0, 946, "fitted")],
        ),
    }


def propensity_inputs(rng: random.Random) -> dict:
    rows = []
    for purpose, snapshot, people in (("training", date(2026, 8, 31), 500), ("scoring", date(2026, 9, 30), 300)):
        for index in range(people):
            spend = rng.gammavariate(2.0, 100.0) if rng.random() < 0.85 else None
            visits = rng.randrange(0, 20)
            member = rng.random() < 0.5 if rng.random() < 0.9 else None
            score = (spend or 0) / 200 + visits / 10 + (1 if member else 0) - 1.5 + rng.gauss(0, 1)
            label = score > 0 if purpose == "training" else None
            rows.append((purpose, snapshot, f"p{index:04d}{purpose[0]}", label, spend, visits, member))
    return {
        "int_propensity_features": (
            "purpose string, snapshot_date date, one_id string, purchased_after boolean, spend_365d double,"
            " visits_90d bigint, is_member boolean",
            rows,
        ),
        "customer_orders": (
            "one_id string, order_date date",
            [("p0001t", date(2025, 1, 15)), ("p0002t", date(2025, 3, 1))],
        ),
    }


def lookalike_inputs(rng: random.Random) -> dict:
    tags = [
        ("spend_365d", "customer", "active", "internal", "number"),
        ("visits_90d", "customer", "active", "internal", "number"),
        ("is_member", "customer", "active", "internal", "boolean"),
        ("phone_hash", "customer", "active", "sensitive", "number"),
        ("city", "customer", "active", "internal", "string"),
    ]
    profile, base = [], []
    for index in range(400):
        one_id = f"c{index:04d}"
        spend = rng.gammavariate(2.0, 100.0) if rng.random() < 0.9 else None
        visits, member = rng.randrange(0, 20), rng.random() < 0.5
        profile.append((one_id, spend, visits, member, float(index), "x"))
        if (spend or 0) > 250 or (member and visits > 15):
            base.append(("big_spenders", one_id))
        if visits > 12:
            base.append(("frequent", one_id))
        if index < 10:
            base.append(("tiny", one_id))
    base.append(("big_spenders", "gone0001"))  # a seed member no longer in the profile
    definitions = [
        ("look_size", "lookalike", "active", json.dumps({"seed": "big_spenders", "size": 20}), []),
        ("look_score", "lookalike", "active", json.dumps({"min_score": 0.6, "seed": "frequent"}), []),
        ("look_tiny", "lookalike", "active", json.dumps({"seed": "tiny", "size": 5}), []),
        ("look_old", "lookalike", "retired", json.dumps({"seed": "frequent", "size": 5}), []),
        ("big_spenders", "rule", "active", None, ["spend_365d"]),
        ("frequent", "rule", "active", None, ["visits_90d"]),
        ("tiny", "rule", "active", None, None),
    ]
    return {
        "tag_definitions": (
            "tag_code string, entity string, status string, sensitivity string, value_type string",
            tags,
        ),
        "customer_profile": (
            "one_id string, spend_365d double, visits_90d bigint, is_member boolean, phone_hash double, city string",
            profile,
        ),
        "segment_base_members": ("segment_code string, one_id string", base),
        "segment_definitions": (
            "segment_code string, segment_type string, status string, lookalike json, reads_tags string[]",
            definitions,
        ),
    }


@pytest.fixture(scope="module")
def inputs() -> dict:
    rng = random.Random(20261201)
    tables = {}
    for make in (identity_inputs, purchase_inputs, propensity_inputs, lookalike_inputs):
        tables |= make(rng)
    return tables


# --- DuckDB: the dbt Python models with a stand-in dbt ---------------------------------------------


class _Config(dict):
    def __call__(self, **_):
        return None


class _Dbt:
    def __init__(self, con, config):
        self.con, self.config = con, _Config(config)

    def ref(self, name):
        return self.con.table(name)


def load_model(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "models" / TWINS[name] / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def duckdb_tables(con, tables: dict) -> None:
    for name, (columns, rows) in tables.items():
        con.execute(f"create or replace table {name} ({columns.replace('string', 'varchar')})")
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            con.executemany(f"insert into {name} values ({marks})", [list(row) for row in rows])


def run_duckdb(con, name: str) -> tuple[list[str], list[tuple]]:
    relation = load_model(name).model(_Dbt(con, CONFIG[name]), con)
    return relation.columns, relation.fetchall()


@pytest.fixture(scope="module")
def duck(inputs):
    con = duckdb.connect()
    duckdb_tables(con, inputs)
    results = {}
    for name in TWINS:
        if name == "customer_purchase_propensity":  # scored under the fit just made
            con.execute("create or replace table model_propensity_fit as select * from fit_result")
        columns, rows = run_duckdb(con, name)
        results[name] = (columns, rows)
        if name == "model_propensity_fit":
            values = dict(zip(columns, rows[0], strict=True))
            con.execute(
                "create or replace table fit_result as select ?::varchar as fit_status, ?::json as features,"
                " ?::json as fitted_model",
                [values["fit_status"], values["features"], values["fitted_model"]],
            )
    return results


# --- comparison ------------------------------------------------------------------------------------


def same_value(left, right) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is None and right is None
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=REL, abs_tol=1e-300)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(same_value(a, b) for a, b in zip(left, right, strict=True))
    if isinstance(left, str) and isinstance(right, str) and left[:1] in "[{" and right[:1] in "[{":
        return same_value(json.loads(left), json.loads(right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same_value(left[key], right[key]) for key in left)
    return left == right


def assert_same_rows(columns, expected: list[tuple], actual: list[tuple], skip=("fitted_at",)) -> None:
    keep = [index for index, name in enumerate(columns) if name not in skip]

    def key(row):
        return tuple(str(row[index]) for index in keep[:2])

    expected, actual = sorted(expected, key=key), sorted(actual, key=key)
    assert len(expected) == len(actual)
    for want, got in zip(expected, actual, strict=True):
        for index in keep:
            assert same_value(want[index], got[index]), (columns[index], want, got)


# --- (a) the Spark adapters in plain Python ------------------------------------------------------


def spark_text(value) -> str:
    """A value as Spark's script transformation writes it."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value).replace("e", "E")
    return str(value)


def framed(params: dict, rows: list[tuple]) -> io.StringIO:
    width = len(rows[0]) if rows else 0
    lines = ["\t".join(["0", json.dumps(params)] + [NULL] * width)]
    lines += ["\t".join(["1", NULL] + [spark_text(value) for value in row]) for row in rows]
    return io.StringIO("".join(line + "\n" for line in lines))


def adapter_run(name: str, params: dict, rows: list[tuple]) -> list[tuple]:
    module = importlib.import_module(f"portrait.spark_models.{name}")
    out = io.StringIO()
    from portrait.spark_models import write_rows

    write_rows(module.run(*read_input(framed(params, rows))), out)
    return [
        tuple(None if field == NULL else field for field in line.split("\t")) for line in out.getvalue().splitlines()
    ]


def typed(rows: list[tuple], kinds: str) -> list[tuple]:
    """Output text fields read back as Spark's casts would (s: string, f: double, i: bigint, t: timestamp, j: JSON)."""
    parse = {
        "s": str, "f": float, "i": int, "t": datetime.fromisoformat, "j": json.loads,
    }  # fmt: skip
    return [
        tuple(None if value is None else parse[kind](value) for value, kind in zip(row, kinds, strict=True))
        for row in rows
    ]


def adapter_inputs(inputs: dict, duck: dict) -> dict:
    """Per model: (params, the rows in the order the twin sends them, output kinds, DuckDB columns to compare)."""
    edges = sorted(inputs["int_identity_over_limit_edges"][1], key=lambda row: row[-1])
    summary = inputs["customer_purchase_summary"][1]
    groups: dict = {}
    for _, frequency, recency, age, _ in summary:
        groups[(float(frequency), recency, age)] = groups.get((float(frequency), recency, age), 0) + 1
    repeat = sorted((float(f), m) for _, f, _, _, m in summary if f > 0 and m is not None and m > 0)
    training = sorted((row for row in inputs["int_propensity_features"][1] if row[0] == "training"), key=lambda r: r[2])
    scoring = sorted((row for row in inputs["int_propensity_features"][1] if row[0] == "scoring"), key=lambda r: r[2])
    columns, (fit_row,) = duck["model_propensity_fit"]
    fit = dict(zip(columns, fit_row, strict=True))
    profile = {row[0]: row for row in inputs["customer_profile"][1]}
    definitions = inputs["segment_definitions"][1]
    lookalikes = [
        (code, spec) for code, kind, status, spec, _ in definitions if kind == "lookalike" and status == "active"
    ]
    seeds = {json.loads(spec)["seed"] for _, spec in lookalikes}
    memberships: dict = {}
    for code, one_id in inputs["segment_base_members"][1]:
        if code in seeds:
            memberships.setdefault(one_id, set()).add(code)
    usable = sorted(t[0] for t in inputs["tag_definitions"][1] if t[3] == "internal" and t[4] in ("number", "boolean"))
    position = {"spend_365d": 1, "visits_90d": 2, "is_member": 3}  # in a customer_profile row
    people = []
    for one_id in sorted(set(profile) | set(memberships)):
        row = profile.get(one_id)
        values = [None if row is None or row[position[tag]] is None else float(row[position[tag]]) for tag in usable]
        seeds = json.dumps(sorted(memberships[one_id])) if one_id in memberships else None
        people.append((one_id, row is not None, seeds, *values))
    return {
        "int_identity_limit_splits": (
            {
                "types": [
                    {"identifier_type": t, "max_per_person": m, "priority": p}
                    for t, m, p in inputs["identifier_types"][1]
                ]
            },
            [row[:8] for row in edges],
            "ssttst",
        ),
        "model_bgnbd_params": (
            {"time_unit_days": 7},
            [(*key, float(count)) for key, count in sorted(groups.items())],
            "fffffffffiiiis",
        ),
        "model_gamma_gamma_params": ({}, repeat, "fffffffis"),
        "customer_clv": (
            {
                "bgnbd": {"status": "fitted", "params": [0.243, 4.414, 0.793, 2.426]},
                "gamma_gamma": {"status": "fitted", "params": [6.25, 3.74, 15.44]},
                "time_unit_days": 7,
                "horizon_months": 12,
                "monthly_discount_rate": 0.01,
            },
            sorted((one_id, float(f), r, a, m or 0.0) for one_id, f, r, a, m in summary),
            "sffffff",
        ),
        "model_propensity_fit": (
            {
                "features": ["spend_365d", "visits_90d", "is_member"],
                "history_days": (date(2026, 8, 31) - date(2025, 1, 15)).days,
                "holdout_share": 0.3,
                "min_positives": 50,
                "min_negatives": 50,
                "min_history_days": 180,
                "horizon_days": 30,
            },
            [
                (r[2], r[3], r[4], None if r[5] is None else float(r[5]), None if r[6] is None else float(r[6]))
                for r in training
            ],
            "siiifffsssi",
        ),
        "customer_purchase_propensity": (
            {
                "fit_status": fit["fit_status"],
                "features": json.loads(fit["features"]),
                "fitted_model": fit["fitted_model"],
            },
            [
                (r[2], r[4], None if r[5] is None else float(r[5]), None if r[6] is None else float(r[6]))
                for r in scoring
            ],
            "sf",
        ),
        "segment_lookalike_fits": (
            {
                "min_seed": 50,
                "lookalikes": [{"segment_code": c, "lookalike": s} for c, s in lookalikes],
                "reads": {code: reads or [] for code, _, _, _, reads in definitions},
                "usable": usable,
            },
            people,
            "ssssiijffjj",
        ),
    }


@pytest.mark.parametrize("name", list(TWINS))
def test_adapter_gives_the_duckdb_models_rows(name, inputs, duck):
    params, rows, kinds = adapter_inputs(inputs, duck)[name]
    columns, expected = duck[name]
    actual = typed(adapter_run(name, params, rows), kinds)
    width = len(kinds)
    assert_same_rows(columns[:width], [row[:width] for row in expected], actual)
    if name in ("model_bgnbd_params", "model_gamma_gamma_params", "model_propensity_fit"):
        assert expected[0][columns.index("fit_status")] == "fitted"
    if name == "segment_lookalike_fits":
        assert sorted(row[2] for row in expected) == ["fitted", "fitted", "refused"]


def test_an_empty_fit_still_writes_its_row():
    (row,) = adapter_run("model_bgnbd_params", {"time_unit_days": 7}, [])
    assert row[-1] == "not fitted: 0 buyers and 0 repeat buyers (needs 50 and 10)"
    assert (
        adapter_run("customer_clv", {"time_unit_days": 7, "horizon_months": 12, "monthly_discount_rate": 0.01}, [])
        == []
    )


# --- (b) on Spark ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    warehouse = os.environ.get("PORTRAIT_SPARK_WAREHOUSE") or str(tmp_path_factory.mktemp("spark_py") / "warehouse")
    os.environ["PORTRAIT_SPARK_WAREHOUSE"] = warehouse
    os.environ.setdefault("PORTRAIT_SPARK_DRIVER_MEMORY", "2g")
    builder = SparkSession.builder.master("local[1]").appName("portrait-python-models")
    settings = {
        "spark.driver.memory": os.environ["PORTRAIT_SPARK_DRIVER_MEMORY"], "spark.ui.enabled": "false",
        "spark.sql.warehouse.dir": warehouse,
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={warehouse}/../metastore_db;create=true"
        ),
        "spark.sql.session.timeZone": "UTC", "spark.sql.timestampType": "TIMESTAMP_NTZ",
        "spark.sql.parser.escapedStringLiterals": "true", "spark.sql.ansi.enabled": "false",
        "spark.sql.shuffle.partitions": "4", "spark.sql.legacy.createHiveTableByDefault": "false",
    }  # fmt: skip
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder.enableHiveSupport().getOrCreate()


def _dbt(args: list[str], tmp) -> object:
    from dbt.cli.main import dbtRunner

    messages: list[str] = []
    result = dbtRunner(callbacks=[lambda event: messages.append(event.info.msg)]).invoke(
        args
        + ["--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--target", "spark"]
        + ["--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs"), "--no-partial-parse"]
    )
    assert result.success, messages[-20:]
    return result


@pytest.fixture(scope="module")
def spark_results(spark, inputs, duck, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("spark_twins")
    manifest = _dbt(["parse"], tmp).result
    relations = {
        node.name: node.relation_name
        for node in manifest.nodes.values()
        if node.resource_type == "model" or node.resource_type == "seed"
    }
    fit_columns, (fit_row,) = duck["model_propensity_fit"]
    fit = dict(zip(fit_columns, fit_row, strict=True))
    tables = dict(inputs)
    tables["model_propensity_fit"] = (
        "fit_status string, features string, fitted_model string",
        [(fit["fit_status"], fit["features"], fit["fitted_model"])],
    )
    for name, (columns, rows) in tables.items():
        relation = relations[name]
        spark.sql(f"create database if not exists {relation.rsplit('.', 1)[0]}")
        spark.sql(f"drop table if exists {relation}")
        ddl = columns.replace("string[]", "array<string>").replace(" json", " string")
        spark.createDataFrame([list(row) for row in rows], ddl).write.format("parquet").saveAsTable(relation)
    result = _dbt(["compile", "--select", " ".join(f"{TWINS[name]}.spark.{name}" for name in TWINS)], tmp)
    compiled = {
        item.node.name: item.node.compiled_code for item in result.result.results if item.node.resource_type == "model"
    }
    assert set(compiled) == set(TWINS)
    results = {}
    for name, sql in compiled.items():
        frame = spark.sql(sql)
        results[name] = (frame.columns, [tuple(row) for row in frame.collect()])
    return results


@pytest.mark.parametrize("name", list(TWINS))
def test_spark_twin_gives_the_duckdb_models_rows(name, duck, spark_results):
    columns, expected = duck[name]
    spark_columns, actual = spark_results[name]
    assert spark_columns == columns
    actual = [
        tuple(value.replace(tzinfo=None) if isinstance(value, datetime) else value for value in row) for row in actual
    ]
    if name == "model_propensity_fit":  # JSON text on Spark
        expected = [
            tuple(json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for v in row) for row in expected
        ]
        actual = [tuple(json.loads(v) if isinstance(v, str) and v[:1] in "[{" else v for v in row) for row in actual]
    assert_same_rows(columns, expected, actual)
