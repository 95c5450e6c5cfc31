"""The tag engine (models/tags), checked against an independent Python reading of the definitions."""

from __future__ import annotations

import math
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import tag_reference
from dbt_runner import copy_project, run_dbt

DEFAULT_AS_OF = date(2026, 9, 30)


def same_value(ours, expected) -> bool:
    if ours is None or expected is None:
        return ours is None and expected is None
    if isinstance(expected, bool) or isinstance(ours, bool):
        return ours == expected
    if isinstance(expected, (int, float, Decimal)):
        return math.isclose(float(ours), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    return ours == expected


def wide_values(work_dir: Path, entity: str) -> dict[str, dict]:
    key = tag_reference.ENTITIES[entity]["key"]
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        cursor = con.execute(f"select * from tags.int_{entity}_tags")
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    return {column: {row[key]: row[column] for row in rows} for column in columns if column != key}


def reference_values(work_dir: Path, entity: str, as_of: date, definitions: list[dict] | None = None) -> dict:
    definitions = definitions or tag_reference.load_definitions()
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        return tag_reference.compute_tags(con, definitions, entity, as_of, tag_reference.starter_sql_tags(as_of))


def assert_tags_match(work_dir: Path, as_of: date) -> None:
    for entity in tag_reference.ENTITIES:
        ours = wide_values(work_dir, entity)
        expected = reference_values(work_dir, entity, as_of)
        assert set(ours) == set(expected), entity
        for code, values in expected.items():
            assert set(ours[code]) == set(values), code
            wrong = [(i, ours[code][i], v) for i, v in values.items() if not same_value(ours[code][i], v)]
            assert not wrong, f"{code}: {len(wrong)} of {len(values)} differ, e.g. {wrong[:3]}"
            assert len(values) > 0


@pytest.fixture(scope="module")
def tags_copy(demo_build, tmp_path_factory):
    """A copy of the demo build's database, for runs of the tag models at other as_of days."""
    work_dir = tmp_path_factory.mktemp("tags_copy")
    shutil.copy(demo_build.work_dir / "portrait.duckdb", work_dir / "portrait.duckdb")
    return work_dir


def run_tags(raw_dir: Path, work_dir: Path, as_of: date, project_dir: Path | None = None, select="path:models/tags"):
    args = ["build", "--select", select, "--vars", f'{{as_of: "{as_of.isoformat()}"}}']
    run = run_dbt(args, raw_dir, work_dir, **({"project_dir": project_dir} if project_dir else {}))
    assert run.success, run.failures()
    return run


def test_starter_library_covers_every_rule_type_and_category():
    tags = tag_reference.load_definitions()
    assert len(tags) >= 40
    rule_types = {tag["rule"]["type"] for tag in tags}
    assert rule_types >= tag_reference.AGGREGATES | tag_reference.DERIVED | {"top", "passthrough", "sql"}
    assert {tag["category"] for tag in tags} >= {"attribute", "behaviour", "preference", "lifecycle", "imported"}
    assert {tag["entity"] for tag in tags} == {"customer", "product", "store"}


def test_every_tag_value_matches_the_python_reference(demo_build):
    """All rule types of the starter library, all three entities, at the default as_of."""
    assert demo_build.run.success, demo_build.run.failures()
    assert_tags_match(demo_build.work_dir, DEFAULT_AS_OF)


def test_tags_at_an_earlier_as_of_read_nothing_after_it(demo_build, tags_copy):
    """Tag models rebuilt at an earlier as_of over customer tables that still hold later rows."""
    as_of = date(2025, 11, 11)
    run_tags(demo_build.raw_dir, tags_copy, as_of)
    assert_tags_match(tags_copy, as_of)
    later = wide_values(tags_copy, "customer")["order_count_total"]
    with duckdb.connect(str(tags_copy / "portrait.duckdb"), read_only=True) as con:
        orders_after = con.execute("select count(*) from customers.customer_orders where order_date > ?", [as_of]).fetchone()[0]
    assert orders_after > 0 and sum(later.values()) > 0


def test_profile_holds_active_and_deprecated_tags_only(demo_build):
    statuses = {tag["code"]: tag.get("status", "active") for tag in tag_reference.load_definitions()}
    columns = [row[0] for row in demo_build.query("select column_name from (describe tags.customer_profile)")]
    customer_tags = {tag["code"] for tag in tag_reference.load_definitions() if tag["entity"] == "customer"}
    assert set(columns) - {"one_id"} == {code for code in customer_tags if statuses[code] in ("active", "deprecated")}
    people = demo_build.query("select count(*) from customers.customers")[0][0]
    assert demo_build.query("select count(*) from tags.customer_profile")[0][0] == people


def test_catalogue_coverage_and_values_match_the_long_table(demo_build):
    long_rows = demo_build.query("select one_id, tag_code, tag_value from tags.customer_tag_values")
    people = demo_build.query("select count(*) from customers.customers")[0][0]
    with_value = Counter(code for _, code, _ in long_rows)
    distinct = {code: len({v for _, c, v in long_rows if c == code}) for code in with_value}
    catalog = demo_build.query(
        "select tag_code, coverage, distinct_values from tags.tag_catalog where entity = 'customer'"
    )
    for code, coverage, distinct_values in catalog:
        assert math.isclose(coverage, with_value[code] / people), code
        assert distinct_values == distinct.get(code, 0), code
    used_by = dict(demo_build.query("select tag_code, used_by from tags.tag_catalog"))
    assert "tag:spend_band" in used_by["total_spend"]


def test_starter_library_has_no_governance_findings(demo_build):
    assert demo_build.query("select * from tags.tag_governance") == []
