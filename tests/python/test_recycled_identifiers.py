"""Identifiers change owners: a recycled mobile number claimed by a newer member takes the evidence
dated from the claim on (var identifier_reassignment). Case 07 of tests/data/cases, the limit
split's rule on its own, and generated raw folders checked against a reference of the rule."""

from __future__ import annotations

import importlib.util
import random
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from cases import CASE_AS_OF, build_case
from dbt_runner import ROOT, run_dbt

from portrait.explain import identity as explain_identity

PHONE = "13912347777"
QUIET_DAYS = 90  # the default of var identifier_reassignment for phone


def _load_splits():
    path = ROOT / "models" / "identity" / "int_identity_limit_splits.py"
    spec = importlib.util.spec_from_file_location("int_identity_limit_splits", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


splits = _load_splits()


# --- case 07 -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case07(tmp_path_factory):
    build = build_case("07-recycled-phone", tmp_path_factory.mktemp("case07"))
    assert build.run.success, build.run.failures()
    return build


def one_id_of_member(build, member_id: str) -> str:
    return build.scalar(
        "select one_id from identity.identity_one_ids where node_id = ? and is_current", [f"member_id:{member_id}"]
    )


def test_case07_the_2024_order_and_consent_belong_to_the_new_member(case07):
    old, new = one_id_of_member(case07, "M_OLD"), one_id_of_member(case07, "M_NEW")
    assert old != new
    orders = case07.query("select order_id, one_id, net_amount from customers.customer_orders order by order_id")
    assert [(order_id, one_id, float(amount)) for order_id, one_id, amount in orders] == [
        ("J2024", new, 300.0),
        ("P2019", old, 200.0),
    ]
    consents = case07.query("select one_id, channel, is_consented from activation.int_activation_consents")
    assert consents == [(new, "sms", True)]


def test_case07_the_old_member_is_never_sent_anything_on_the_number(case07):
    old, new = one_id_of_member(case07, "M_OLD"), one_id_of_member(case07, "M_NEW")
    pool = case07.query("select one_id from activation.int_activation_identifiers where identifier = ?", [PHONE])
    assert pool == [(new,)]
    exported = case07.query(
        "select destination, one_id from activation.activation_audience_identifiers where identifier_type = 'phone'"
    )
    assert ("sms", new) in exported
    assert all(one_id != old for _, one_id in exported)
    assert case07.query("select one_id from customers.identifier_people where identifier = ?", [PHONE]) == [(new,)]


def test_case07_only_the_new_member_has_the_number_on_their_golden_record(case07):
    old, new = one_id_of_member(case07, "M_OLD"), one_id_of_member(case07, "M_NEW")
    phones = dict(case07.query("select one_id, phone from customers.customers where one_id in (?, ?)", [old, new]))
    assert phones == {old: None, new: "13912347777"}


def test_case07_the_audit_and_explain_show_the_reassignment(case07):
    old, new = one_id_of_member(case07, "M_OLD"), one_id_of_member(case07, "M_NEW")
    owners = case07.query(
        "select one_id, valid_from, valid_to, claimed_by_node_id from identity.identity_identifier_owners "
        "where node_id = ? order by owner_number",
        [f"phone:{PHONE}"],
    )
    claim = datetime(2024, 3, 1, 2, 0)  # 2024-03-01 10:00 in Asia/Shanghai
    assert owners == [(old, None, claim, None), (new, claim, None, "member_id:M_NEW")]
    audit = case07.query(
        "select node_a, node_b, one_id_a, one_id_b, outcome, left_out_reason from identity.identity_limited_edges"
    )
    assert len(audit) == 1
    node_a, node_b, one_id_a, one_id_b, outcome, reason = audit[0]
    assert (node_a, node_b, one_id_a, one_id_b, outcome) == (
        "member_id:M_NEW",
        f"phone:{PHONE}",
        new,
        old,
        "reassigned",
    )
    assert f"passed from {old} to {new}" in reason and "member_id (2 > 1)" in reason
    held = case07.query(
        "select one_id, owned_from, owned_to from identity.customer_identities "
        "where node_id = ? order by owned_from nulls first",
        [f"phone:{PHONE}"],
    )
    assert held == [(old, None, claim), (new, claim, None)]
    with duckdb.connect(str(case07.work_dir / "portrait.duckdb"), read_only=True) as con:
        text = explain_identity.explain(con, f"phone:{PHONE}")
        assert "changed owners (2)" in text and "claimed by member_id:M_NEW" in text
        assert "not the same person" in explain_identity.explain(con, "member_id:M_OLD", "member_id:M_NEW")


# --- the limit split's rule --------------------------------------------------------------------------

LIMITS = {"member_id": 1, "phone": 2, "buyer_id": 4}
PRIORITIES = {"member_id": 1, "phone": 3, "buyer_id": 7}


def periods_of(node_types, edges, reassign_days):
    result = splits.split_by_limits(node_types, edges, LIMITS, PRIORITIES, reassign_days)
    return {(period.node, period.valid_from): period.cluster for period in result}


def day(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_claim_after_the_quiet_days_moves_the_number_and_later_edges_follow_it():
    types = {"member_id:A": "member_id", "member_id:B": "member_id", "phone:1": "phone", "buyer_id:x": "buyer_id"}
    edges = [
        ("member_id:A", "phone:1", day("2019-01-01"), day("2019-01-01")),
        ("member_id:B", "phone:1", day("2024-01-01"), day("2024-01-01")),
        ("buyer_id:x", "phone:1", day("2024-02-01"), day("2024-02-01")),
    ]
    periods = periods_of(types, edges, {"phone": QUIET_DAYS})
    assert periods[("phone:1", None)] == periods[("member_id:A", None)]
    assert periods[("phone:1", day("2024-01-01"))] == periods[("member_id:B", None)] == periods[("buyer_id:x", None)]
    assert periods[("member_id:A", None)] != periods[("member_id:B", None)]


@pytest.mark.parametrize(
    ("claimed_at", "reassign_days"),
    [
        ("2019-03-31", {"phone": QUIET_DAYS}),  # 89 days after the old owner's last evidence
        ("2024-01-01", {}),  # the rule turned off
    ],
)
def test_a_claim_too_soon_or_with_the_rule_off_is_left_out_as_before(claimed_at, reassign_days):
    types = {"member_id:A": "member_id", "member_id:B": "member_id", "phone:1": "phone"}
    edges = [
        ("member_id:A", "phone:1", day("2019-01-01"), day("2019-01-01")),
        ("member_id:B", "phone:1", day(claimed_at), day(claimed_at)),
    ]
    periods = periods_of(types, edges, reassign_days)
    assert set(periods) == {("member_id:A", None), ("member_id:B", None), ("phone:1", None)}
    assert periods[("phone:1", None)] == periods[("member_id:A", None)] != periods[("member_id:B", None)]


def test_a_weaker_identifier_never_claims_a_number():
    types = {"member_id:A": "member_id", "phone:1": "phone", "phone:2": "phone", "buyer_id:x": "buyer_id"}
    edges = [
        ("member_id:A", "phone:1", day("2019-01-01"), day("2019-01-01")),
        ("member_id:A", "phone:2", day("2019-01-01"), day("2019-01-01")),
        ("buyer_id:x", "phone:1", day("2024-01-01"), day("2024-01-01")),
    ]
    periods = periods_of(types, edges, {"phone": QUIET_DAYS})
    assert len(periods) == 4  # no second period: a buyer id is no owner


# --- generated raw folders against a reference of the rule -------------------------------------------

MEMBERS_HEADER = (
    "member_id,phone,email,name,gender,birthday,province,city,register_channel,register_store_id,"
    "registered_at,member_level,updated_at"
)
POS_HEADER = "store_id,order_id,member_id,phone,terminal_id,order_time,status,paid_amount,discount_amount"
ECOMMERCE_HEADER = (
    "platform,order_id,buyer_id,member_id,phone,order_time,status,paid_amount,discount_amount,coupon_code,store_id"
)
CONSENTS_HEADER = "identifier_type,identifier,channel,status,updated_at"
CUTOFF = datetime.fromisoformat(CASE_AS_OF) + timedelta(days=1)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def generate(raw_dir: Path, phones: int = 9, seed: int = 11) -> dict:
    """Numbers held by an old member, some claimed later by a new member: long after the old
    owner's last evidence (recycled), soon after (a second membership) or after the old member
    record was updated recently (still in use). Orders and consents carry only the number.
    Returns the people and rows a reference needs (times local, like the files)."""
    rng = random.Random(seed)
    members, pos, ecommerce, consents, numbers = [], [], [], [], []
    for index in range(phones):
        phone = f"1391234{index:04d}"
        kind = ("recycled", "second_membership", "still_used")[index % 3]
        old_at = datetime(2019, 1, 1, 10) + timedelta(days=rng.randrange(0, 700), hours=rng.randrange(0, 8))
        old_seen = old_at
        if kind == "recycled":
            new_at = old_at + timedelta(days=QUIET_DAYS + 30 + rng.randrange(0, 900))
        elif kind == "second_membership":
            new_at = old_at + timedelta(days=rng.randrange(5, QUIET_DAYS - 30))
        else:
            new_at = old_at + timedelta(days=QUIET_DAYS + 200 + rng.randrange(0, 400))
            old_seen = new_at - timedelta(days=rng.randrange(1, QUIET_DAYS - 30))  # the record was updated lately
        new_at = min(new_at, datetime(2024, 5, 1, 10))
        old_member, new_member = f"MO{index}", f"MN{index}"
        members.append(f"{old_member},{phone},,,,,,,,,{stamp(old_at)},,{stamp(old_seen)}")
        members.append(f"{new_member},{phone},,,,,,,,,{stamp(new_at)},,{stamp(new_at)}")
        evidence_times = [old_at + timedelta(days=1), new_at - timedelta(days=2), new_at + timedelta(days=3)]
        evidence_times.append(new_at + timedelta(days=rng.randrange(10, 60)))
        for number, moment in enumerate(evidence_times):
            order_id = f"O{index}_{number}"
            if number % 2:
                ecommerce.append(f"jd,{order_id},b{index}_{number},,{phone},{stamp(moment)},paid,{10 + number},,,")
            else:
                pos.append(f"S01,{order_id},,{phone},,{stamp(moment)},paid,{10 + number},")
        consent_at = rng.choice([old_at + timedelta(days=2), new_at + timedelta(days=1)])
        consents.append(f"phone,{phone},sms,granted,{stamp(consent_at)}")
        numbers.append(
            {
                "phone": phone,
                "kind": kind,
                "old_member": old_member,
                "new_member": new_member,
                "old_seen": old_seen,
                "new_at": new_at,
                "orders": dict(zip([f"O{index}_{n}" for n in range(4)], evidence_times, strict=True)),
                "consent_at": consent_at,
            }
        )
    files = {
        "crm_members": (MEMBERS_HEADER, members),
        "pos_orders": (POS_HEADER, pos),
        "ecommerce_orders": (ECOMMERCE_HEADER, ecommerce),
        "consents": (CONSENTS_HEADER, consents),
    }
    for folder, (header, rows) in files.items():
        (raw_dir / folder).mkdir(parents=True, exist_ok=True)
        (raw_dir / folder / "part.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return {"numbers": numbers}


def reference_owner(number: dict, moment: datetime, rule_on: bool) -> str:
    """The rule, written independently: a newer member's claim takes the number from the claim on
    when the old member's last evidence with it is at least the quiet days earlier."""
    reassigned = rule_on and number["new_at"] >= number["old_seen"] + timedelta(days=QUIET_DAYS)
    if reassigned and moment >= number["new_at"]:
        return number["new_member"]
    return number["old_member"]


def build_generated(raw_dir: Path, work_dir: Path, rule_on: bool):
    variables = f"{{as_of: '{CASE_AS_OF}'" + ("" if rule_on else ", identifier_reassignment: {}") + "}"
    run = run_dbt(["build", "--vars", variables], raw_dir, work_dir)
    assert run.success, run.failures()
    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        members = dict(
            con.execute(
                "select substr(node_id, 11), one_id from identity.identity_one_ids "
                "where identifier_type = 'member_id' and is_current"
            ).fetchall()
        )
        orders = dict(con.execute("select order_id, one_id from customers.orders").fetchall())
        consents = con.execute(
            "select one_id from activation.int_activation_consents where channel = 'sms' and is_consented"
        ).fetchall()
        pool = dict(
            con.execute(
                "select identifier, list(one_id) from activation.int_activation_identifiers "
                "where identifier_type = 'phone' group by identifier"
            ).fetchall()
        )
        reassigned = con.execute(
            "select node_b from identity.identity_limited_edges where outcome = 'reassigned'"
        ).fetchall()
        registry = con.execute("select node_id, one_id from identity.identity_one_ids order by node_id").fetchall()
    return {
        "members": members,
        "orders": orders,
        "consented": {one_id for (one_id,) in consents},
        "pool": pool,
        "reassigned": {node for (node,) in reassigned},
        "registry": registry,
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    base = tmp_path_factory.mktemp("recycled")
    truth = generate(base / "raw")
    on = build_generated(base / "raw", base / "on", rule_on=True)
    rerun = build_generated(base / "raw", base / "on", rule_on=True)
    off = build_generated(base / "raw", base / "off", rule_on=False)
    return {"truth": truth, "on": on, "rerun": rerun, "off": off}


def check_against_reference(truth: dict, built: dict, rule_on: bool) -> None:
    members = built["members"]
    for number in truth["numbers"]:
        for order_id, moment in number["orders"].items():
            expected = members[reference_owner(number, moment, rule_on)]
            assert built["orders"][order_id] == expected, (number["kind"], order_id, moment)
        consent_owner = reference_owner(number, number["consent_at"], rule_on)
        other = number["new_member"] if consent_owner == number["old_member"] else number["old_member"]
        assert members[consent_owner] in built["consented"], (number["kind"], "consent")
        assert members[other] not in built["consented"], (number["kind"], "consent")
        current = reference_owner(number, CUTOFF, rule_on)
        assert built["pool"][number["phone"]] == [members[current]], (number["kind"], "activation")


def test_generated_numbers_follow_the_rule(generated):
    truth, built = generated["truth"], generated["on"]
    assert {number["kind"] for number in truth["numbers"]} == {"recycled", "second_membership", "still_used"}
    check_against_reference(truth, built, rule_on=True)
    expected = {f"phone:{n['phone']}" for n in truth["numbers"] if reference_owner(n, CUTOFF, True) == n["new_member"]}
    assert built["reassigned"] == expected and expected


def test_turning_the_rule_off_gives_the_earliest_link_everything(generated):
    check_against_reference(generated["truth"], generated["off"], rule_on=False)
    assert generated["off"]["reassigned"] == set()


def test_ids_are_stable_across_reruns_with_reassigned_numbers(generated):
    assert generated["rerun"]["registry"] == generated["on"]["registry"]
    assert generated["rerun"]["orders"] == generated["on"]["orders"]
    # The registry keeps a number under its first owner's id: a reassignment moves no one's id.
    registry, members = dict(generated["on"]["registry"]), generated["on"]["members"]
    for number in generated["truth"]["numbers"]:
        assert registry[f"phone:{number['phone']}"] == members[number["old_member"]]
