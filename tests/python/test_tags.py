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
from dbt_runner import compile_error, copy_project, run_dbt

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
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
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
        orders_after = con.execute(
            "select count(*) from customers.customer_orders where order_date > ?", [as_of]
        ).fetchone()[0]
    assert orders_after > 0 and sum(later.values()) > 0


def test_profile_holds_active_and_deprecated_tags_only(demo_build):
    statuses = {tag["code"]: tag.get("status", "active") for tag in tag_reference.load_definitions()}
    columns = [row[0] for row in demo_build.query("select column_name from (describe tags.customer_profile)")]
    customer_tags = {tag["code"] for tag in tag_reference.load_definitions() if tag["entity"] == "customer"}
    assert set(columns) - {"one_id"} == {code for code in customer_tags if statuses[code] in ("active", "deprecated")}
    people = demo_build.query("select count(*) from customers.customers")[0][0]
    assert demo_build.query("select count(*) from tags.customer_profile")[0][0] == people


def test_long_table_holds_one_row_per_customer_and_tag_with_a_value(demo_build):
    """customer_tag_values is the unpivot of the wide int_customer_tags: a row for every non-null
    value, none for a null one, one per (one_id, tag) (what a data test no longer checks at scale)."""
    with demo_build.connect() as con:
        wide = con.execute("select * from tags.int_customer_tags")
        names = [column[0] for column in wide.description]
        expected = Counter(
            (row[0], name)
            for row in wide.fetchall()
            for name, value in zip(names[1:], row[1:], strict=True)
            if value is not None
        )
        long_rows = con.execute("select one_id, tag_code from tags.customer_tag_values").fetchall()
    assert names[0] == "one_id"
    assert Counter(long_rows) == expected
    assert max(expected.values()) == 1


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


def as_text(value) -> str | None:
    if value is None:
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def expected_history(snapshots: list[tuple[date, dict]]) -> set[tuple]:
    """Replays value snapshots {(entity, id, tag): text} into history rows, as the model should keep them."""
    rows: dict[tuple, list] = {}
    current: dict[tuple, tuple] = {}
    for build, (as_of, values) in enumerate(snapshots):
        for key in sorted(set(values) | set(current)):
            new = values.get(key)
            old_row = current.get(key)
            old = rows[old_row][4] if old_row else None
            if build > 0 and old == new:
                continue
            if build == 0 and new is None:
                continue
            if old_row:
                rows[old_row][7] = as_of
            kind = (
                "initial" if build == 0 else "appeared" if old is None else "disappeared" if new is None else "changed"
            )
            row_key = (*key, as_of)
            rows[row_key] = [*key, old, new, kind, as_of, None]
            current[key] = row_key
    return {tuple(row) for row in rows.values()}


def tracked_snapshot(work_dir: Path, as_of: date) -> dict:
    tracked = {
        tag["code"]
        for tag in tag_reference.load_definitions()
        if tag.get("track_history", tag["value_type"] in ("enum", "boolean")) and tag.get("status") != "retired"
    }
    snapshot = {}
    for entity in tag_reference.ENTITIES:
        for code, values in reference_values(work_dir, entity, as_of).items():
            if code in tracked:
                snapshot.update({(entity, i, code): as_text(v) for i, v in values.items() if v is not None})
    return snapshot


def test_history_keeps_every_change_across_builds(demo_build, tmp_path):
    shutil.copy(demo_build.work_dir / "portrait.duckdb", tmp_path / "portrait.duckdb")
    with duckdb.connect(str(tmp_path / "portrait.duckdb")) as con:
        con.execute("drop table tags.tag_history")
    builds = [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30)]
    for as_of in builds:
        run_tags(demo_build.raw_dir, tmp_path, as_of)
    before = wide_history(tmp_path)
    run = run_tags(demo_build.raw_dir, tmp_path, date(2026, 5, 31))  # backwards: history left as it is
    assert any("is not after the latest recorded build" in message for message in run.messages)
    ours = wide_history(tmp_path)
    assert ours == before
    expected = expected_history([(as_of, tracked_snapshot(tmp_path, as_of)) for as_of in builds])
    assert ours == expected
    kinds = Counter(row[5] for row in ours)
    assert kinds["changed"] > 100 and kinds["initial"] > 1000
    transitions = Counter((row[2], row[6], row[3], row[4]) for row in expected if row[5] != "initial")
    with duckdb.connect(str(tmp_path / "portrait.duckdb"), read_only=True) as con:
        summary = con.execute(
            "select tag_code, changed_on, from_value, to_value, entities from tags.tag_transitions"
        ).fetchall()
    assert {row[:4]: row[4] for row in summary} == dict(transitions)


def wide_history(work_dir: Path) -> set[tuple]:
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        return set(
            con.execute(
                "select entity, entity_id, tag_code, old_value, new_value, change_kind, valid_from, valid_to"
                " from tags.tag_history"
            ).fetchall()
        )


EXTRA_TAGS = """
version: 2
models:
  - name: tag_definitions_extra
    description: Tags added by a user.
    config:
      meta:
        tag_definitions:
          - {code: search_count_30d, name_zh: 近30天搜索次数, name_en: Searches in the last 30 days,
             description: Searches in the 30 days ending on as_of., category: behaviour, entity: customer,
             value_type: number, source: events, window: 30d, rule: {type: count, where: {event_name: search}},
             owner: analyst}
          - {code: orders_in_last_month, name_zh: 上月订单, name_en: Orders last month, description: Copy.,
             category: behaviour, entity: customer, value_type: number, source: orders, window: 30d,
             rule: {type: count, where: {status: paid}}, owner: analyst}
          - {code: paid_orders_to_date, name_zh: 已付订单数, name_en: Paid orders to date, description: Same values.,
             category: behaviour, entity: customer, value_type: number, source: orders,
             rule: {type: count, where: {status: [paid]}}, owner: analyst}
          - {code: legacy_spend, name_zh: 旧版消费金额, name_en: Legacy spend, description: Old.,
             category: behaviour, entity: customer, value_type: number, source: orders,
             rule: {type: sum, column: paid_amount, where: {status: paid}}, owner: analyst,
             status: deprecated, replaced_by: total_spend}
          - {code: legacy_big_spender, name_zh: 旧版大客户, name_en: Legacy big spender, description: Old flag.,
             category: lifecycle, entity: customer, value_type: boolean,
             rule: {type: threshold, of: legacy_spend, min: 1000}, owner: analyst}
"""


def agreeing_pairs(work_dir: Path) -> set[tuple[str, str]]:
    """Pairs of tags whose values (other than 0 and false) agree on >= 99% of the entities holding either."""
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        rows = con.execute("select entity, entity_id, tag_code, tag_value from tags.int_tag_values_unioned").fetchall()
    values: dict[str, dict] = {}
    for entity, entity_id, code, value in rows:
        if value not in ("0", "false"):
            values.setdefault(code, {})[(entity, entity_id)] = value
    pairs = set()
    for left, left_values in values.items():
        for right, right_values in values.items():
            if left == right:
                continue
            either = set(left_values) | set(right_values)
            agreeing = sum(1 for key in set(left_values) & set(right_values) if left_values[key] == right_values[key])
            if len(either) >= 30 and agreeing / len(either) >= 0.99:
                pairs.add((left, right))
    return pairs


def test_yaml_only_tags_and_governance_findings(demo_build, tmp_path):
    project = copy_project(tmp_path / "project")
    definitions = project / "models" / "tags" / "definitions"
    (definitions / "_extra__tags.yml").write_text(EXTRA_TAGS, encoding="utf-8")
    (definitions / "tag_definitions_extra.sql").write_text("{{ tags_defined_here() }}\n", encoding="utf-8")
    work_dir = tmp_path / "work"
    work_dir.mkdir()
    shutil.copy(demo_build.work_dir / "portrait.duckdb", work_dir / "portrait.duckdb")
    run = run_tags(demo_build.raw_dir, work_dir, DEFAULT_AS_OF, project_dir=project)
    warned = [r for r in run.results if r.node.name == "assert_no_tag_governance_findings"]
    assert warned and warned[0].status == "warn"

    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        columns = {row[0] for row in con.execute("describe tags.customer_profile").fetchall()}
        catalog = dict(con.execute("select tag_code, status from tags.tag_catalog").fetchall())
        findings = con.execute("select tag_code, check_name, detail from tags.tag_governance").fetchall()
        searches = dict(con.execute("select one_id, search_count_30d from tags.customer_profile").fetchall())
    assert {"search_count_30d", "legacy_spend"} <= columns and catalog["search_count_30d"] == "active"
    definitions_all = tag_reference.load_definitions(definitions)
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        expected = tag_reference.compute_tags(
            con, definitions_all, "customer", DEFAULT_AS_OF, tag_reference.starter_sql_tags(DEFAULT_AS_OF)
        )
    assert searches == expected["search_count_30d"] and sum(searches.values()) > 0

    by_check: dict[str, set] = {}
    for code, check, _detail in findings:
        by_check.setdefault(check, set()).add(code)
    assert by_check["duplicate_definition"] == {"orders_in_last_month", "order_count_30d"}
    assert by_check["naming_window_suffix"] == {"orders_in_last_month"}
    assert by_check["naming_boolean_prefix"] == {"legacy_big_spender"}
    assert by_check["deprecated_in_use"] == {"legacy_spend"}
    assert any("legacy_big_spender" in detail for code, check, detail in findings if check == "deprecated_in_use")
    flagged = {(code, detail.split()[2]) for code, check, detail in findings if check == "duplicate_values"}
    assert ("paid_orders_to_date", "order_count_total") in flagged
    assert flagged == agreeing_pairs(work_dir)


BAD_DEFINITIONS = {
    "unknown rule type": ("rule: {type: median, column: net_amount}", "rule.type"),
    "missing field": ("rule: {type: sum, column: net_amount}\n    owner: null", "'owner' is missing"),
    "unknown source column": ("rule: {type: sum, column: net_amt}", "rule.column' names 'net_amt'"),
    "unknown where column": ("rule: {type: count, where: {colour: red}}", "rule.where.colour"),
    "bad window": ("window: 30 days\n    rule: {type: count}", "field 'window'"),
    "unknown field": ("windw: 30d\n    rule: {type: count}", "field 'windw' is not a tag field"),
    "unknown tag read": (
        "value_type: string\n    source: null\n    rule: {type: bucket, of: no_such_tag, bands: [{value: x}]}",
        "rule.of' names 'no_such_tag'",
    ),
    "duplicate code": ("code: order_count_30d\n    rule: {type: count}", "order_count_30d"),
    "bad code format": ("code: Bad-Code\n    rule: {type: count}", "is not a tag code"),
}


@pytest.fixture(scope="module")
def bad_definition_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("bad") / "project")


@pytest.mark.parametrize("case", sorted(BAD_DEFINITIONS))
def test_a_bad_definition_fails_at_compile_time_naming_tag_and_field(
    case, bad_definition_project, demo_build, tmp_path
):
    lines, expected = BAD_DEFINITIONS[case]
    fields = {"code": "bad_tag", "value_type": "number", "source": "orders", "owner": "analyst"}
    overridden = {line.split(":")[0].strip() for line in lines.splitlines()}
    header = "".join(f"    {k}: {v}\n" for k, v in fields.items() if k not in overridden)
    text = (
        "version: 2\nmodels:\n  - name: tag_definitions_bad\n    config:\n      meta:\n        tag_definitions:\n"
        "          - name_zh: 坏\n            name_en: Bad\n            description: Bad.\n"
        "            category: behaviour\n            entity: customer\n"
        + "".join("        " + line + "\n" for line in (header + "    " + lines).splitlines())
    )
    definitions = bad_definition_project / "models" / "tags" / "definitions"
    message = compile_error(
        bad_definition_project,
        definitions,
        "tag_definitions_bad",
        text,
        "tags_defined_here",
        demo_build.raw_dir,
        tmp_path,
    )
    assert "Tag definition '" in message and expected in message, message[-2000:]
    tag_code = "order_count_30d" if case == "duplicate code" else "Bad-Code" if case == "bad code format" else "bad_tag"
    assert f"'{tag_code}'" in message
