"""Static, list, lookalike and experiment segments in a project copy with extra definitions,
built over the demo database, against Python recounts; and definitions that must not compile."""

from __future__ import annotations

import math
import shutil

import duckdb
import pytest
import yaml
from dbt_runner import compile_error, copy_project, run_dbt
from test_segments import GLOBAL_HOLDOUT, variant

from portrait.envvars import temporary_environment

EXTRA_SEGMENTS = [
    {
        "code": "everyone_split",
        "rule": {"any": [{"tag": "gender", "is_null": True}, {"tag": "gender", "is_null": False}]},
        "experiment": {"variants": {"A": 50, "B": 30}, "holdout": 20, "salt": "test-salt"},
    },
    {"code": "test_guests", "type": "static", "list": "test_guests"},
    {"code": "frozen_later", "type": "static", "frozen_on": "2027-01-01", "rule": {"tag": "gender", "is_null": False}},
    {"code": "tiny_seed_lookalike", "type": "lookalike", "lookalike": {"seed": "test_guests", "min_score": 0.5}},
    {"code": "gold_lookalike", "type": "lookalike", "lookalike": {"seed": "gold_and_above", "min_score": 0.9}},
]


def definitions_yaml(segments: list[dict], model: str) -> str:
    described = [
        {"name_zh": "测试", "name_en": "Test", "description": "Test.", "owner": "analyst", **segment}
        for segment in segments
    ]
    document = {"version": 2, "models": [{"name": model, "config": {"meta": {"segment_definitions": described}}}]}
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@pytest.fixture(scope="module")
def kinds_build(demo_build, tmp_path_factory):
    base = tmp_path_factory.mktemp("segment_kinds")
    project = copy_project(base / "project")
    definitions = project / "models" / "segments" / "definitions"
    (definitions / "_test__segments.yml").write_text(definitions_yaml(EXTRA_SEGMENTS, "segment_definitions_test"))
    (definitions / "segment_definitions_test.sql").write_text("{{ segments_defined_here() }}\n")
    phone, member_id = demo_build.query(
        """
        select phones.identifier, members.identifier
        from customers.identifier_people as phones
        inner join customers.identifier_people as members using (one_id)
        where phones.identifier_type = 'phone' and members.identifier_type = 'member_id'
        order by 1 limit 1
        """
    )[0]
    other_member = demo_build.query(
        "select identifier from customers.identifier_people where identifier_type = 'member_id' order by 1 desc"
    )[0][0]
    lists = base / "lists"
    shutil.copytree(demo_build.data_dir / "segment_lists", lists)
    rows = [
        ("phone", f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"),
        ("PHONE", phone),
        ("member_id", other_member),
        ("member_id", member_id),
        ("phone", "19999999999"),
        ("phone", "12"),
        ("fax", "02112345678"),
        ("", "13800000000"),
        ("phone", "13800000000,extra"),
    ]
    (lists / "test_guests.csv").write_text(
        "identifier_type,identifier\n" + "".join(f"{kind},{value}\n" for kind, value in rows)
    )
    work = base / "work"
    work.mkdir()
    shutil.copy(demo_build.work_dir / "portrait.duckdb", work / "portrait.duckdb")
    with temporary_environment({"PORTRAIT_SEGMENT_LISTS_DIR": str(lists)}):
        run = run_dbt(["build", "--select", "path:models/segments"], demo_build.raw_dir, work, project)
    assert run.success, run.failures()
    return work, rows


def query(work, sql: str) -> list[tuple]:
    with duckdb.connect(str(work / "portrait.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_experiment_variants_follow_the_hash_and_the_percentages(kinds_build, demo_build):
    work, _ = kinds_build
    members = query(work, "select one_id, variant from segments.segment_members where segment_code = 'everyone_split'")
    segment = EXTRA_SEGMENTS[0] | {"type": "dynamic"}
    assert all(name == variant(segment, one_id, GLOBAL_HOLDOUT) for one_id, name in members)
    in_experiment = [name for _, name in members if name != "global_holdout"]
    n = len(in_experiment)
    assert n > 1000
    for name, percent in {"A": 50, "B": 30, "holdout": 20}.items():
        p = percent / 100
        assert abs(in_experiment.count(name) / n - p) < 4 * math.sqrt(p * (1 - p) / n), name
    share = (len(members) - n) / len(members)
    p = GLOBAL_HOLDOUT["percent"] / 100
    assert abs(share - p) < 4 * math.sqrt(p * (1 - p) / len(members))


def test_a_list_segment_holds_the_matched_rows_and_reports_the_rest(kinds_build, demo_build):
    work, rows = kinds_build
    people = {
        (kind, value): one_id for kind, value, one_id in demo_build.query("select * from customers.identifier_people")
    }
    expected = {people[("phone", rows[1][1])], people[("member_id", rows[2][1])], people[("member_id", rows[3][1])]}
    members = query(work, "select one_id from segments.segment_members where segment_code = 'test_guests'")
    suppressed = {
        one_id
        for (one_id,) in query(
            work,
            "select one_id from segments.segment_members where segment_code like 'suppress%'",
        )
    }
    assert {one_id for (one_id,) in members} == expected - suppressed
    statuses = query(
        work,
        "select source_row, row_status, invalid_reason from segments.segment_list_entries"
        " where list_name = 'test_guests' order by source_row",
    )
    assert statuses == [  # line numbers: the header is line 1
        (2, "matched", None),
        (3, "matched", None),
        (4, "matched", None),
        (5, "matched", None),
        (6, "unmatched", None),
        (7, "invalid", "invalid_identifier"),
        (8, "invalid", "unknown_identifier_type"),
        (9, "invalid", "missing_identifier_type"),
        (10, "invalid", "malformed_line_too_many_fields"),
    ]


def test_a_static_segment_is_not_frozen_before_its_day(kinds_build):
    work, _ = kinds_build
    assert query(work, "select count(*) from segments.segment_static_members where segment_code = 'frozen_later'") == [
        (0,)
    ]
    assert query(work, "select count(*) from segments.segment_members where segment_code = 'frozen_later'") == [(0,)]


def test_a_lookalike_on_a_small_seed_is_refused_with_the_reason(kinds_build):
    work, _ = kinds_build
    status, message, members = query(
        work,
        "select status, message, len(members) from segments.segment_lookalike_fits"
        " where segment_code = 'tiny_seed_lookalike'",
    )[0]
    assert status == "refused" and members == 0
    assert "test_guests has 2 members" in message and "at least 50" in message, message


def test_a_lookalike_takes_people_outside_the_seed_above_the_score(kinds_build):
    work, _ = kinds_build
    status, auc, members, scores = query(
        work,
        "select status, holdout_auc, members, scores from segments.segment_lookalike_fits"
        " where segment_code = 'gold_lookalike'",
    )[0]
    seed = {
        one_id
        for (one_id,) in query(
            work, "select one_id from segments.segment_base_members where segment_code = 'gold_and_above'"
        )
    }
    assert status == "fitted" and auc > 0.7
    assert members and not set(members) & seed
    assert all(score >= 0.9 for score in scores) and scores == sorted(scores, reverse=True)


def test_the_starter_lookalike_finds_people_like_the_seed(demo_build):
    """An outcome the model never saw: look-alikes of the most valuable spend more than the rest."""
    status, auc, members = demo_build.query(
        "select status, holdout_auc, members from segments.segment_lookalike_fits"
        " where segment_code = 'lookalike_important_value'"
    )[0]
    spend = dict(demo_build.query("select one_id, coalesce(total_spend, 0) from tags.customer_profile"))
    seed = {
        one_id
        for (one_id,) in demo_build.query(
            "select one_id from segments.segment_base_members where segment_code = 'rfm_important_value'"
        )
    }
    others = [value for one_id, value in spend.items() if one_id not in seed and one_id not in set(members)]
    chosen = [spend[one_id] for one_id in members]
    assert status == "fitted" and auc > 0.8
    assert sum(chosen) / len(chosen) > 2 * sum(others) / len(others)


BAD_DEFINITIONS = {
    "static with rule and list": (
        "type: static\n  list: guests\n  rule: {tag: gender, is_null: true}",
        "only one of rule, list, lookalike",
    ),
    "dynamic without rule": ("type: dynamic", "field 'rule' is needed"),
    "lookalike without seed": ("type: lookalike\n  lookalike: {size: 10}", "field 'lookalike' must be"),
    "lookalike of nothing": (
        "type: lookalike\n  lookalike: {seed: no_such_segment, size: 10}",
        "names 'no_such_segment'",
    ),
    "percentages": (
        "rule: {tag: gender, is_null: true}\n  experiment: {variants: {A: 50, B: 30}, holdout: 10}",
        "add up to 90",
    ),
    "frozen_on not a date": (
        "type: static\n  frozen_on: soon\n  rule: {tag: gender, is_null: true}",
        "field 'frozen_on'",
    ),
    "include a static segment": ("rule: {segment: vip_snapshot_2026_09}", "a static segment"),
}


@pytest.fixture(scope="module")
def bad_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("bad_segment_kinds") / "project")


@pytest.mark.parametrize("case", sorted(BAD_DEFINITIONS))
def test_a_bad_segment_definition_fails_at_compile_time(case, bad_project, demo_build, tmp_path):
    fields, expected = BAD_DEFINITIONS[case]
    body = "- code: bad_segment\n  name_zh: 坏\n  name_en: Bad\n  description: Bad.\n  owner: analyst\n  " + fields
    text = "version: 2\nmodels:\n  - name: segment_definitions_bad\n    config:\n      meta:\n"
    text += "        segment_definitions:\n"
    text += "".join(f"          {line}\n" for line in body.splitlines())
    definitions = bad_project / "models" / "segments" / "definitions"
    message = compile_error(
        bad_project, definitions, "segment_definitions_bad", text, "segments_defined_here", demo_build.raw_dir, tmp_path
    )
    assert "Segment definition 'bad_segment'" in message and expected in message, message[-1500:]


def test_a_missing_list_file_empties_its_segment_with_a_status_and_the_others_build(demo_build, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy(demo_build.work_dir / "portrait.duckdb", work / "portrait.duckdb")
    with temporary_environment({"PORTRAIT_SEGMENT_LISTS_DIR": str(tmp_path / "nowhere")}):
        run = run_dbt(["build", "--select", "segment_definitions+", "segment_list_entries+"], demo_build.raw_dir, work)
    assert run.success, run.failures()
    warning = "Segment definition 'salon_event_guests'"
    assert any(warning in message and "does not exist" in message for message in run.messages)
    with duckdb.connect(str(work / "portrait.duckdb"), read_only=True) as con:
        statuses = dict(con.execute("select segment_code, input_status from segments.segment_definitions").fetchall())
        members = dict(
            con.execute("select segment_code, count(*) from segments.segment_members group by all").fetchall()
        )
    assert statuses["salon_event_guests"].startswith("missing list file: ")
    assert str(tmp_path / "nowhere" / "salon_event_guests.csv") in statuses["salon_event_guests"]
    assert {code for code, status in statuses.items() if status != "ready"} == {"salon_event_guests"}
    assert "salon_event_guests" not in members
    assert len(members) >= 10, members
