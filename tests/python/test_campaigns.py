"""Campaign results (models/campaigns) against an independent recount of the staged campaign events."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from owners import Owners
from scipy.stats import binomtest, norm

AS_OF_END = (datetime(2026, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).astimezone(ZoneInfo("UTC"))
CUTOFF = AS_OF_END.replace(tzinfo=None)
MESSAGE_STEPS = ("sent", "delivered", "opened", "clicked")
Z_95 = norm.ppf(0.975)


def approx(value):
    """Floats to 1e-9 (the model divides in SQL); counts, decimals and nulls exactly."""
    return pytest.approx(value, rel=1e-9, abs=1e-12) if isinstance(value, float) else value


def ratio(numerator, denominator):
    return numerator / denominator if denominator else None


def rows(build, sql: str) -> list[dict]:
    with build.connect() as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class Recount:
    """Campaign figures recomputed in Python from stg_campaign__events, each event attributed to
    the person holding its identifier at the event's time (owners.Owners)."""

    def __init__(self, build):
        owners = Owners(build, CUTOFF)
        self.events = [
            e
            for e in rows(build, "select * from staging.stg_campaign__events")
            if e["event_at"] < CUTOFF  # the as_of cut-off
        ]
        # (campaign, segment, variant) -> one_id -> event names and revenue
        self.members = defaultdict(lambda: defaultdict(lambda: {"events": set(), "revenue": Decimal(0)}))
        self.unresolved = defaultdict(lambda: {"identifiers": set(), "events": 0})
        for e in self.events:
            key = (e["campaign_id"], e["segment_code"], e["variant"])
            one_id = owners.at(e["identifier_type"], e["identifier"], e["event_at"])
            if one_id is None:
                self.unresolved[key]["identifiers"].add((e["identifier_type"], e["identifier"]))
                self.unresolved[key]["events"] += 1
                continue
            member = self.members[key][one_id]
            member["events"].add(e["event_name"])
            if e["event_name"] == "converted":
                member["revenue"] += e["revenue"] or 0
        self.keys = {(e["campaign_id"], e["segment_code"], e["variant"]) for e in self.events}

    @staticmethod
    def flags(events: set[str]) -> dict[str, bool]:
        """Funnel of one person: a later message step implies delivered and sent; clicks do not imply opens."""
        return {
            "sent": bool(events & set(MESSAGE_STEPS)),
            "delivered": bool(events & {"delivered", "opened", "clicked"}),
            "opened": "opened" in events,
            "clicked": "clicked" in events,
            "converted": "converted" in events,
        }

    def result(self, key) -> dict:
        members = self.members.get(key, {})
        funnel = defaultdict(int)
        for member in members.values():
            for step, reached in self.flags(member["events"]).items():
                funnel[step] += reached
        audience = len(members)
        revenue = sum((m["revenue"] for m in members.values()), Decimal(0))
        return {
            "audience": audience,
            "members_without_assigned_event": sum("assigned" not in m["events"] for m in members.values()),
            **{step: funnel[step] for step in ("sent", "delivered", "opened", "clicked", "converted")},
            "revenue": revenue,
            "reach_rate": ratio(funnel["delivered"], audience),
            "click_through_rate": ratio(funnel["clicked"], funnel["delivered"]),
            "conversion_rate": ratio(funnel["converted"], audience),
            "revenue_per_member": ratio(float(revenue), audience),
            "unresolved_identifiers": len(self.unresolved[key]["identifiers"]),
            "unresolved_events": self.unresolved[key]["events"],
        }


@pytest.fixture(scope="module")
def recount(demo_build):
    assert demo_build.run.success, demo_build.run.failures()
    return Recount(demo_build)


@pytest.fixture(scope="module")
def results(demo_build):
    return {
        (r["campaign_id"], r["segment_code"], r["variant"]): r
        for r in rows(demo_build, "select * from campaigns.campaign_results")
    }


def test_the_generator_holds_out_about_a_tenth_of_the_people_selected(recount):
    assigned = defaultdict(lambda: defaultdict(int))
    for e in recount.events:
        if e["event_name"] == "assigned":
            assigned[e["campaign_id"]][e["variant"]] += 1
    assert len(assigned) >= 15, "the generator runs eight campaigns a year over the demo's 33 months"
    total = sum(sum(v.values()) for v in assigned.values())
    holdout = sum(v["holdout"] for v in assigned.values())
    # a 10% draw: the exact 99.99% binomial interval of the observed share holds 0.10
    interval = binomtest(holdout, total, 0.1).proportion_ci(0.9999)
    assert interval.low < 0.1 < interval.high, (holdout, total)
    assert all(set(variants) <= {"A", "B", "holdout"} for variants in assigned.values())
    assert sum(variants["holdout"] > 0 for variants in assigned.values()) >= 0.8 * len(assigned)
    # the holdout is never contacted: its only events are the assignment and conversions
    assert {e["event_name"] for e in recount.events if e["variant"] == "holdout"} == {"assigned", "converted"}


def test_every_campaign_segment_and_variant_has_one_row(recount, results):
    assert set(results) == recount.keys


def test_audience_funnel_rates_and_revenue_equal_the_recount(recount, results):
    for key, row in results.items():
        expected = recount.result(key)
        for column, value in expected.items():
            assert row[column] == approx(value), (key, column)
        assert row["is_holdout"] == (key[2] == "holdout")


def test_lift_over_the_holdout_with_a_wald_interval(recount, results):
    checked = 0
    for (campaign, segment, variant), row in results.items():
        if variant == "holdout":
            assert row["conversion_rate_lift"] is None and row["holdout_audience"] is None
            continue
        treated, held = recount.result((campaign, segment, variant)), recount.result((campaign, segment, "holdout"))
        if not held["audience"]:
            assert row["holdout_audience"] is None and row["conversion_rate_lift"] is None
            continue
        p_t, n_t = treated["conversion_rate"], treated["audience"]
        p_h, n_h = held["conversion_rate"], held["audience"]
        difference = p_t - p_h
        standard_error = math.sqrt(p_t * (1 - p_t) / n_t + p_h * (1 - p_h) / n_h)
        lower = difference + norm.ppf(0.025) * standard_error
        upper = difference + norm.ppf(0.975) * standard_error
        assert row["holdout_audience"] == n_h
        assert row["holdout_conversion_rate"] == approx(p_h)
        assert row["conversion_rate_lift"] == approx(difference)
        assert row["conversion_rate_lift_lower_95"] == approx(lower)
        assert row["conversion_rate_lift_upper_95"] == approx(upper)
        assert row["is_lift_significant"] == (lower > 0 or upper < 0)
        assert row["conversion_rate_relative_lift"] == approx(p_t / p_h - 1 if p_h else None)
        assert row["revenue_per_member_lift"] == approx(treated["revenue_per_member"] - held["revenue_per_member"])
        checked += 1
    assert checked >= 0.8 * sum(not r["is_holdout"] for r in results.values())


def test_interval_matches_the_textbook_formula_with_the_normal_quantile(results):
    row = next(r for r in results.values() if r["conversion_rate_lift"] and r["holdout_conversion_rate"])
    p_t, p_h = row["conversion_rate"], row["holdout_conversion_rate"]
    half_width = Z_95 * math.sqrt(p_t * (1 - p_t) / row["audience"] + p_h * (1 - p_h) / row["holdout_audience"])
    assert row["conversion_rate_lift_upper_95"] - row["conversion_rate_lift"] == approx(half_width)


def test_unresolved_identifiers_and_missing_assignments_are_counted_not_lost(recount, results):
    """The demo exercises both: identifiers OneID never saw, and assignment rows lost to noise."""
    unresolved = sum(r["unresolved_events"] for r in results.values())
    assert 0 < unresolved == sum(u["events"] for u in recount.unresolved.values()) < len(recount.events) / 10
    assert sum(r["members_without_assigned_event"] for r in results.values()) > 0


def test_members_are_one_row_per_campaign_segment_variant_and_person(demo_build, recount):
    members = rows(demo_build, "select * from campaigns.campaign_members")
    found = {(m["campaign_id"], m["segment_code"], m["variant"], m["one_id"]): m for m in members}
    assert len(found) == len(members)
    expected = {(*key, one_id): m for key, people in recount.members.items() for one_id, m in people.items()}
    assert set(found) == set(expected)
    for key, member in expected.items():
        flags = Recount.flags(member["events"])
        row = found[key]
        assert {step: row[f"is_{step}"] for step in flags} == flags, key
        assert row["revenue"] == member["revenue"], key
        assert row["has_assigned_event"] == ("assigned" in member["events"]), key


def test_tag_results_equal_a_recount_over_the_build_tag_values(demo_build, recount):
    tags = [
        r["tag_code"]
        for r in rows(demo_build, "select * from tags.tag_definitions")
        if r["entity"] == "customer"
        and r["status"] == "active"
        and r["value_type"] in ("enum", "boolean", "string")
        and "analytics" in r["allowed_uses"]
    ]
    values = {
        (r["one_id"], r["tag_code"]): r["tag_value"] for r in rows(demo_build, "select * from tags.customer_tag_values")
    }
    # campaign -> (is_holdout, one_id) -> pooled events and revenue across the campaign's variants
    people = defaultdict(lambda: defaultdict(lambda: {"events": set(), "revenue": Decimal(0)}))
    for (campaign, _, variant), members in recount.members.items():
        for one_id, member in members.items():
            person = people[campaign][(variant == "holdout", one_id)]
            person["events"] |= member["events"]
            person["revenue"] += member["revenue"]
    expected = {}
    for campaign, persons in people.items():
        groups = defaultdict(lambda: defaultdict(int))
        for (is_holdout, one_id), person in persons.items():
            flags = Recount.flags(person["events"])
            for tag in tags:
                group = groups[(campaign, tag, values.get((one_id, tag)))]
                if is_holdout:
                    group["holdout_audience"] += 1
                    group["holdout_converted"] += flags["converted"]
                else:
                    group["audience"] += 1
                    group["delivered"] += flags["delivered"]
                    group["clicked"] += flags["clicked"]
                    group["converted"] += flags["converted"]
                    group["revenue"] += person["revenue"]
        for key, group in groups.items():
            if group["audience"]:
                expected[key] = group
    found = {
        (r["campaign_id"], r["tag_code"], r["tag_value"]): r
        for r in rows(demo_build, "select * from campaigns.campaign_tag_results")
    }
    assert set(found) == set(expected)
    assert len(tags) >= 20 and {key[1] for key in found} == set(tags)
    for key, group in expected.items():
        row = found[key]
        conversion_rate = group["converted"] / group["audience"]
        holdout_rate = ratio(group["holdout_converted"], group["holdout_audience"])
        assert row["audience"] == group["audience"], key
        assert row["delivered"] == group["delivered"], key
        assert row["clicked"] == group["clicked"], key
        assert row["converted"] == group["converted"], key
        assert row["revenue"] == group["revenue"], key
        assert row["click_through_rate"] == approx(ratio(group["clicked"], group["delivered"])), key
        assert row["conversion_rate"] == approx(conversion_rate), key
        assert row["revenue_per_member"] == approx(float(group["revenue"]) / group["audience"]), key
        assert row["holdout_audience"] == group["holdout_audience"], key
        assert row["holdout_converted"] == group["holdout_converted"], key
        assert row["holdout_conversion_rate"] == approx(holdout_rate), key
        assert row["conversion_rate_lift"] == approx(None if holdout_rate is None else conversion_rate - holdout_rate)


def test_each_tag_splits_the_whole_treatment_audience(demo_build, recount):
    treated = defaultdict(set)
    for (campaign, _, variant), members in recount.members.items():
        if variant != "holdout":
            treated[campaign] |= set(members)
    totals = rows(
        demo_build,
        "select campaign_id, tag_code, sum(audience) as audience from campaigns.campaign_tag_results group by all",
    )
    assert totals
    for total in totals:
        assert total["audience"] == len(treated[total["campaign_id"]]), total


def test_the_timeline_keeps_campaign_touches_but_not_assignments_or_the_holdout(demo_build, recount):
    timeline = dict(
        demo_build.query(
            "select event_name, count(*) from customers.customer_events where event_name like 'campaign_%' group by all"
        )
    )
    assert "campaign_assigned" not in timeline
    people = {
        (r["identifier_type"], r["identifier"])
        for r in rows(demo_build, "select identifier_type, identifier from customers.identifier_people")
    }
    expected = defaultdict(int)
    for e in recount.events:
        if (
            e["event_name"] != "assigned"
            and e["variant"] != "holdout"
            and (e["identifier_type"], e["identifier"]) in people
        ):
            expected[f"campaign_{e['event_name']}"] += 1
    assert timeline == dict(expected)
