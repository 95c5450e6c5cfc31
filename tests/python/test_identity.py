"""OneID: rules, stable ids and audits on a hand-made scenario, and quality on the generated data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dbt_runner import run_dbt

from portrait.bench import identity_quality
from portrait.explain import identity as explain_identity

MEMBERS = """member_id,phone,registered_at,updated_at
M1,13900000001,2024-01-01 10:00:00,2024-01-01 10:00:00
M2,13900000001,2024-02-01 10:00:00,2024-02-01 10:00:00
M3,13800138000,2024-01-01 10:00:00,2024-01-01 10:00:00
M4,13800138000,2024-01-01 10:00:00,2024-01-01 10:00:00
M5,,2024-01-01 10:00:00,
M6,,2024-01-01 10:00:00,
M7,,2024-01-01 10:00:00,
M8,,2024-01-01 10:00:00,
M9,,2024-01-01 10:00:00,
M20,13912345678,2024-01-01 10:00:00,
M21,13912345678,2024-01-02 10:00:00,
M22,13912345678,2024-01-03 10:00:00,
M23,13912345678,2024-01-04 10:00:00,
M24,13912345678,2024-01-05 10:00:00,
M25,13912345678,2024-01-06 10:00:00,
M26,13912345678,2024-01-07 10:00:00,
M27,13912345678,2024-01-08 10:00:00,
"""
APP_EVENTS = """event_id,device_id,device_id_type,member_id,event_name,event_time
e1,dev-shared,oaid,M5,login,2024-03-01 10:00:00
e2,dev-shared,oaid,M6,login,2024-03-01 11:00:00
e3,dev-shared,oaid,M7,login,2024-03-01 12:00:00
e4,dev-own,oaid,M8,login,2024-03-01 13:00:00
"""
TICKETS = """ticket_id,phone,created_at
t1,13900000009,2024-03-01 10:00:00
"""
POS_ORDERS = """store_id,order_id,member_id,phone,terminal_id,order_time,status,paid_amount
S1,O1,M9,13900000009,T1,2024-04-01 10:00:00,paid,100
"""

# People holding more identifiers of a type than the identifier_types seed allows.
OVER_LIMIT = """
    select one_ids.one_id, one_ids.identifier_type, count(*)
    from identity.identity_one_ids as one_ids
    inner join reference.identifier_types as types on one_ids.identifier_type = types.identifier_type
    where one_ids.is_current
    group by one_ids.one_id, one_ids.identifier_type, types.max_per_person
    having count(*) > types.max_per_person
"""


def write_raw(raw_dir: Path, files: dict[str, str]) -> None:
    for folder, text in files.items():
        (raw_dir / folder).mkdir(parents=True, exist_ok=True)
        (raw_dir / folder / "part.csv").write_text(text, encoding="utf-8")


def one_ids(work_dir: Path) -> dict[str, str]:
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        return dict(con.execute("select node_id, one_id from identity.identity_one_ids where is_current").fetchall())


def query(work_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def build(raw_dir: Path, work_dir: Path, *flags: str) -> None:
    run = run_dbt(["build", "--select", "+identity", "--indirect-selection", "cautious", *flags], raw_dir, work_dir)
    assert run.success, run.failures()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """Builds the scenario once: run 1, run 2 with a linking order added, a full refresh, run 3 without it."""
    base = tmp_path_factory.mktemp("identity")
    raw_dir, work_dir = base / "raw", base / "work"
    write_raw(raw_dir, {"crm_members": MEMBERS, "app_events": APP_EVENTS, "service_tickets": TICKETS})
    build(raw_dir, work_dir)
    runs = {"first": one_ids(work_dir)}
    build(raw_dir, work_dir)
    runs["rerun"] = one_ids(work_dir)
    write_raw(raw_dir, {"pos_orders": POS_ORDERS})
    build(raw_dir, work_dir)
    runs["merged"] = one_ids(work_dir)
    build(raw_dir, work_dir, "--full-refresh")
    runs["full_refresh"] = one_ids(work_dir)
    (raw_dir / "pos_orders" / "part.csv").unlink()
    build(raw_dir, work_dir)
    runs["split"] = one_ids(work_dir)
    return {"work_dir": work_dir, "runs": runs}


def test_a_second_member_id_is_left_out_by_the_limit_and_audited(scenario):
    ids = scenario["runs"]["first"]
    assert ids["member_id:M1"] == ids["phone:13900000001"]  # earlier evidence wins
    assert ids["member_id:M2"] != ids["member_id:M1"]
    limited = query(scenario["work_dir"], "select node_a, node_b, left_out_reason from identity.identity_limited_edges")
    assert [(a, b) for a, b, _ in limited] == [("member_id:M2", "phone:13900000001")]
    assert "member_id (2 > 1)" in limited[0][2]


def test_a_blocked_placeholder_phone_links_no_one(scenario):
    ids = scenario["runs"]["first"]
    assert "phone:13800138000" not in ids
    assert ids["member_id:M3"] != ids["member_id:M4"]
    blocked = query(scenario["work_dir"], "select node_id, block_reason from identity.identity_blocked_identifiers")
    assert blocked == [("phone:13800138000", "blocklist: placeholder phone used in forms and demos")]


def test_a_shared_device_or_phone_is_a_hub_kept_as_an_attribute_of_each_person(scenario):
    ids = scenario["runs"]["first"]
    assert len({ids[f"member_id:M2{i}"] for i in range(8)}) == 8  # an unlisted phone shared by many
    assert len({ids["member_id:M5"], ids["member_id:M6"], ids["member_id:M7"]}) == 3
    assert ids["member_id:M8"] == ids["oaid:dev-own"]
    hubs = query(scenario["work_dir"], "select node_id, hub_reason from identity.identity_hubs order by node_id")
    assert hubs == [
        ("oaid:dev-shared", "linked to 3 distinct member_id values (more than 2)"),
        ("phone:13912345678", "linked to 8 distinct member_id values (more than 5)"),
    ]
    holders = query(
        scenario["work_dir"],
        "select one_id from identity.customer_identities where node_id = 'oaid:dev-shared' and is_shared",
    )
    assert {one_id for (one_id,) in holders} == {ids["member_id:M5"], ids["member_id:M6"], ids["member_id:M7"]}


def test_no_cluster_exceeds_its_limits(scenario):
    over = query(scenario["work_dir"], OVER_LIMIT)
    assert over == []


def test_ids_are_stable_across_reruns_and_full_refresh(scenario):
    runs = scenario["runs"]
    assert runs["rerun"] == runs["first"]
    assert runs["full_refresh"] == runs["merged"]


def test_a_merge_keeps_one_id_logs_the_other_and_touches_no_one_else(scenario):
    first, merged = scenario["runs"]["first"], scenario["runs"]["merged"]
    old_member, old_phone = first["member_id:M9"], first["phone:13900000009"]
    survivor = merged["member_id:M9"]
    assert merged["phone:13900000009"] == survivor
    assert survivor == min(old_member, old_phone)  # equal strength: the smaller id survives
    retired = max(old_member, old_phone)
    unchanged = {node: one_id for node, one_id in first.items() if one_id not in (old_member, old_phone)}
    assert all(merged[node] == one_id for node, one_id in unchanged.items())
    changes = query(
        scenario["work_dir"], "select old_one_id, new_one_id, change_kind from identity.identity_id_changes"
    )
    assert (retired, survivor, "merged") in changes


def test_a_split_leaves_the_id_with_one_part_and_logs_the_other(scenario):
    merged, split = scenario["runs"]["merged"], scenario["runs"]["split"]
    survivor = merged["member_id:M9"]
    parts = {split["member_id:M9"], split["phone:13900000009"]}
    assert len(parts) == 2 and survivor in parts
    new_id = (parts - {survivor}).pop()
    changes = query(
        scenario["work_dir"], "select old_one_id, new_one_id, change_kind from identity.identity_id_changes"
    )
    assert (survivor, new_id, "split") in changes
    summary = query(
        scenario["work_dir"],
        "select ids_merged, clusters_split_off from identity.identity_run_summary order by resolved_at",
    )
    assert summary[2] == (1, 0) and summary[-1] == (0, 1)


def test_explain_names_the_link_and_the_row_behind_it(scenario):
    with duckdb.connect(str(scenario["work_dir"] / "portrait.duckdb"), read_only=True) as con:
        text = explain_identity.explain(con, "member_id:M1", "phone:13900000001")
        assert "through 1 link(s)" in text and "stg_crm__members" in text and "part.csv, row 2)" in text
        assert "not the same person" in explain_identity.explain(con, "member_id:M1", "member_id:M2")


def test_resolution_is_precise_and_finds_the_links_the_evidence_allows(demo_build):
    with demo_build.connect() as con:
        scores = identity_quality.score(con, demo_build.ground_truth_dir)
    assert scores["precision"] >= 0.999
    assert scores["recall_of_linkable_pairs"] >= 0.99


def test_no_person_in_the_generated_data_breaks_a_limit(demo_build):
    over = demo_build.query(OVER_LIMIT)
    assert over == []
    # The generated data does contain people with two memberships: the limit had work to do.
    assert demo_build.query("select count(*) from identity.identity_limited_edges")[0][0] > 0
