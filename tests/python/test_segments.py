"""Segment rules (models/segments) against an independent Python evaluation of the YAML."""

from __future__ import annotations

import csv
import hashlib
import operator
import shutil
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import raw_reference
import tag_reference
import yaml
from dbt_runner import compile_error, copy_project, run_dbt

AS_OF = date(2026, 9, 30)
DEFINITIONS_DIR = tag_reference.ROOT / "models" / "segments" / "definitions"
OPERATORS = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
GLOBAL_HOLDOUT = yaml.safe_load((tag_reference.ROOT / "dbt_project.yml").read_text())["vars"]["global_holdout"]
# Python equivalents of the starter segments' sql conditions.
SQL_CONDITIONS = {"profile.order_count_total >= 2": lambda row: row["order_count_total"] >= 2}


def load_segments(directory: Path = DEFINITIONS_DIR) -> list[dict]:
    segments = []
    for path in sorted(directory.glob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            segments.extend(model.get("config", {}).get("meta", {}).get("segment_definitions", []))
    return segments


def bucket(one_id: str, salt: str) -> int:
    return int(hashlib.md5(f"{one_id}:{salt}".encode()).hexdigest()[:8], 16) % 10000


def variant(segment: dict, one_id: str, global_holdout: dict) -> str | None:
    """Global holdout first (not for suppression segments), then the experiment's ranges in order."""
    if segment.get("type") != "suppression" and global_holdout["percent"] > 0:
        if bucket(one_id, global_holdout["salt"]) < round(global_holdout["percent"] * 100):
            return "global_holdout"
    experiment = segment.get("experiment")
    if not experiment:
        return None
    shares = {**experiment["variants"], **({"holdout": experiment["holdout"]} if experiment.get("holdout") else {})}
    upper, position = 0.0, bucket(one_id, experiment.get("salt", segment["code"]))
    for name, percent in shares.items():
        upper += percent * 100
        if position < round(upper):
            return name
    return None


def list_people(path: Path, identifier_people: dict) -> set[str]:
    """The people a list file names, identifiers normalised by the staging reference."""
    people = set()
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kind, value = (row["identifier_type"] or "").strip().lower(), (row["identifier"] or "").strip()
            value = raw_reference.canonical_phone(value) if kind == "phone" else value
            if (kind, value) in identifier_people:
                people.add(identifier_people[(kind, value)])
    return people


class Evaluator:
    def __init__(self, build, definitions_dir: Path = DEFINITIONS_DIR, global_holdout: dict | None = None):
        self.global_holdout = global_holdout or GLOBAL_HOLDOUT
        self.lists_dir = build.data_dir / "segment_lists"
        with build.connect() as con:
            cursor = con.execute("select * from tags.customer_profile")
            names = [d[0] for d in cursor.description]
            self.profiles = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
            self.events = defaultdict(list)
            for one_id, name, day, channel in con.execute(
                "select one_id, event_name, event_date, channel from customers.customer_events"
            ).fetchall():
                self.events[one_id].append({"event_name": name, "event_date": day, "channel": channel})
            self.items = defaultdict(list)
            cursor = con.execute("select * from customers.customer_order_items")
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                item = dict(zip(names, row, strict=True))
                self.items[item["one_id"]].append(item)
            self.identifier_people = {
                (kind, value): one_id
                for kind, value, one_id in con.execute("select * from customers.identifier_people").fetchall()
            }
            self.lookalikes = {
                code: set(members or [])
                for code, members in con.execute(
                    "select segment_code, members from segments.segment_lookalike_fits"
                ).fetchall()
            }
        self.segments = {segment["code"]: segment for segment in load_segments(definitions_dir)}

    def holds(self, condition: dict, row: dict) -> bool:
        if "all" in condition:
            return all(self.holds(part, row) for part in condition["all"])
        if "any" in condition:
            return any(self.holds(part, row) for part in condition["any"])
        if "not" in condition:
            return not self.holds(condition["not"], row)
        if "segment" in condition:
            return self.holds(self.segments[condition["segment"]]["rule"], row)
        if "sql" in condition:
            return SQL_CONDITIONS[condition["sql"]](row)
        if "tag" in condition:
            value = row[condition["tag"]]
            if "is_null" in condition:
                return (value is None) == condition["is_null"]
            if value is None:
                return False
            if "in" in condition:
                return value in condition["in"]
            if "between" in condition:
                low, high = condition["between"]
                return low <= value <= high
            return OPERATORS[condition["op"]](value, condition["value"])
        return self.count_holds(condition, row["one_id"])

    def count_holds(self, condition: dict, one_id: str) -> bool:
        if "event" in condition:
            rows, day_column = self.events[one_id], "event_date"
            wanted = {"event_name": condition["event"], **condition.get("where", {})}
        else:
            rows, day_column = self.items[one_id], "order_date"
            wanted = {**condition["purchased"], "status": "paid", **condition.get("where", {})}
        window = tag_reference.parse_window(condition.get("window"))
        count = sum(
            1
            for row in rows
            if tag_reference.in_window(row[day_column], AS_OF, window)
            and all(row[column] == value for column, value in wanted.items())
        )
        if "max_count" in condition and "min_count" not in condition:
            return count <= condition["max_count"]
        return count >= condition.get("min_count", 1) and count <= condition.get("max_count", count)

    def qualified(self, segment: dict) -> set[str]:
        """Before suppression and groups. A static rule is frozen at the first build on or after
        frozen_on: for a single build at AS_OF that is the rule at AS_OF."""
        if segment.get("list"):
            return list_people(self.lists_dir / f"{segment['list']}.csv", self.identifier_people)
        if segment.get("lookalike"):
            return self.lookalikes.get(segment["code"], set())
        return {row["one_id"] for row in self.profiles if self.holds(segment["rule"], row)}

    def members(self) -> set[tuple[str, str, str | None]]:
        active = [s for s in self.segments.values() if s.get("status", "active") == "active"]
        qualified = {s["code"]: self.qualified(s) for s in active}
        suppressed = set().union(*(qualified[s["code"]] for s in active if s.get("type") == "suppression"))
        members = set()
        for segment in active:
            group = segment.get("exclusive_group")
            for one_id in qualified[segment["code"]]:
                if segment.get("type") != "suppression" and one_id in suppressed:
                    continue
                rivals = [
                    s for s in active if group and s.get("exclusive_group") == group and one_id in qualified[s["code"]]
                ]
                best = min(rivals, key=lambda s: (s.get("priority", 100), s["code"])) if rivals else segment
                if best["code"] == segment["code"]:
                    members.add((segment["code"], one_id, variant(segment, one_id, self.global_holdout)))
        return members


def test_segment_members_match_a_python_evaluation_of_the_rules(demo_build):
    """Every kind of segment (rule, frozen, list, lookalike), suppression, groups and variants."""
    expected = Evaluator(demo_build).members()
    ours = set(demo_build.query("select segment_code, one_id, variant from segments.segment_members"))
    assert ours == expected
    sizes = defaultdict(int)
    for code, _, _ in ours:
        sizes[code] += 1
    assert len(load_segments()) >= 15 and len(sizes) >= 12
    kinds = {segment.get("type", "dynamic") for segment in load_segments() if sizes.get(segment["code"])}
    assert kinds == {"dynamic", "suppression", "static", "lookalike"}
    holdouts = "select count(*) from segments.segment_members"
    holdouts += " where is_holdout != coalesce(variant like '%holdout', false)"
    assert demo_build.query(holdouts) == [(0,)]


def test_exclusive_groups_and_suppression_hold(demo_build):
    in_group = demo_build.query(
        """
        select members.one_id, count(*)
        from segments.segment_members as members
        inner join segments.segment_definitions as definitions using (segment_code)
        where definitions.exclusive_group = 'retention'
        group by members.one_id
        having count(*) > 1
        """
    )
    assert in_group == []
    overlap = demo_build.query(
        """
        select count(*)
        from segments.segment_members as members
        inner join segments.segment_definitions as definitions using (segment_code)
        where definitions.segment_type != 'suppression'
            and members.one_id in (
                select one_id from segments.segment_members
                where segment_code in ('suppress_minors', 'suppress_frequent_complainers')
            )
        """
    )
    assert overlap == [(0,)]


def test_window_reference_is_the_tag_one():
    assert tag_reference.parse_window("60d-30d") == (60, 30)
    assert tag_reference.in_window(AS_OF - timedelta(days=30), AS_OF, (60, 30))
    assert not tag_reference.in_window(AS_OF - timedelta(days=29), AS_OF, (60, 30))


BAD_RULES = {
    "unknown tag": ("{tag: no_such_tag, op: '=', value: 1}", "rule.tag"),
    "value not in enum": ("{tag: gender, op: '=', value: unknown}", "rule.value"),
    "unknown condition": ("{colour: red}", "field 'rule' must be a mapping"),
    "cycle": ("{segment: bad_segment}", "makes a cycle"),
    "bad window": ("{event: purchase, window: last week}", "rule.window"),
}


@pytest.fixture(scope="module")
def bad_segment_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("bad_segments") / "project")


@pytest.mark.parametrize("case", sorted(BAD_RULES))
def test_a_bad_segment_rule_fails_at_compile_time(case, bad_segment_project, demo_build, tmp_path):
    rule, expected = BAD_RULES[case]
    text = (
        "version: 2\nmodels:\n  - name: segment_definitions_bad\n    config:\n      meta:\n"
        "        segment_definitions:\n          - code: bad_segment\n            name_zh: 坏\n"
        "            name_en: Bad\n            description: Bad.\n            owner: analyst\n"
        f"            rule: {rule}\n"
    )
    definitions = bad_segment_project / "models" / "segments" / "definitions"
    message = compile_error(
        bad_segment_project,
        definitions,
        "segment_definitions_bad",
        text,
        "segments_defined_here",
        demo_build.raw_dir,
        tmp_path,
    )
    assert "Segment definition 'bad_segment'" in message and expected in message, message[-1500:]


def test_membership_history_and_sizes_follow_the_builds(demo_build, tmp_path):
    """Spells replayed in Python from the members of each build; sizes count them."""
    shutil.copy(demo_build.work_dir / "portrait.duckdb", tmp_path / "portrait.duckdb")
    with duckdb.connect(str(tmp_path / "portrait.duckdb")) as con:
        con.execute("drop table segments.segment_membership_history")
        con.execute("drop table segments.segment_sizes")
    snapshots, variants = [], defaultdict(set)
    for as_of in ("2026-07-31", "2026-08-31", "2026-09-30"):
        run = run_dbt(
            ["build", "--select", "path:models/segments", "--vars", f"{{as_of: {as_of}}}"], demo_build.raw_dir, tmp_path
        )
        assert run.success, run.failures()
        with duckdb.connect(str(tmp_path / "portrait.duckdb"), read_only=True) as con:
            rows = con.execute("select segment_code, one_id, variant from segments.segment_members").fetchall()
            for code, one_id, name in rows:
                variants[(code, one_id)].add(name)
            snapshots.append(
                (
                    date.fromisoformat(as_of),
                    set(con.execute("select segment_code, one_id from segments.segment_members").fetchall()),
                )
            )
    spells: dict[tuple, list] = {}
    open_spell: dict[tuple, tuple] = {}
    for as_of, members in snapshots:
        for key in members - set(open_spell):
            spells[(*key, as_of)] = [*key, as_of, None]
            open_spell[key] = (*key, as_of)
        for key in set(open_spell) - members:
            spells[open_spell.pop(key)][3] = as_of
    with duckdb.connect(str(tmp_path / "portrait.duckdb"), read_only=True) as con:
        history = set(
            con.execute(
                "select segment_code, one_id, entered_on, exited_on from segments.segment_membership_history"
            ).fetchall()
        )
        sizes = con.execute(
            "select segment_code, as_of, members, entered, exited from segments.segment_sizes"
        ).fetchall()
    assert history == {tuple(spell) for spell in spells.values()}
    assert all(len(names) == 1 for names in variants.values()), "a member changed variant between builds"
    assert any(spell[3] is not None for spell in spells.values())
    for code, as_of, members, entered, exited in sizes:
        current = dict(snapshots)[as_of]
        assert members == sum(1 for segment, _ in current if segment == code)
        assert entered == sum(1 for spell in spells.values() if spell[0] == code and spell[2] == as_of)
        assert exited == sum(1 for spell in spells.values() if spell[0] == code and spell[3] == as_of)
