"""Model scores (models/scores) on the demo data, against independent Python computations."""

from __future__ import annotations

import json
import math
import shutil
import statistics
from collections import defaultdict
from datetime import date, timedelta

import duckdb
import pytest
import tag_reference
from dbt_runner import run_dbt

AS_OF = date(2026, 9, 30)
RFM_CLASSES = {
    (True, True, True): "重要价值客户",
    (True, False, True): "重要发展客户",
    (False, True, True): "重要保持客户",
    (False, False, True): "重要挽留客户",
    (True, True, False): "一般价值客户",
    (True, False, False): "一般发展客户",
    (False, True, False): "一般保持客户",
    (False, False, False): "一般挽留客户",
}
LIFECYCLE = {
    "new_days": 90,
    "dormant_days": 180,
    "lost_days": 365,
    "rhythm_min_purchase_days": 3,
    "dormant_rhythm_multiple": 2.0,
    "lost_rhythm_multiple": 4.0,
    "rhythm_min_days": 30,
    "winback_days": 90,
}


def purchase_days(build) -> dict[str, dict[date, float]]:
    days: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    for one_id, day, amount in build.query(
        "select one_id, order_date, net_amount from customers.customer_orders where status = 'paid'"
    ):
        if day <= AS_OF:
            days[one_id][day] += float(amount)
    return days


def quintile(values: dict[str, float], higher_is_better: bool) -> dict[str, int]:
    """1 + floor(5 * percent rank), ranking from worst to best; ties share a rank."""
    ordered = sorted(values.values(), reverse=not higher_is_better)
    first_rank, n = {}, len(ordered)
    for position, value in enumerate(ordered):
        first_rank.setdefault(value, position)
    return {key: min(5, 1 + math.floor(5 * first_rank[value] / (n - 1))) for key, value in values.items()}


def test_rfm_matches_a_python_recount(demo_build):
    days = purchase_days(demo_build)
    start = AS_OF - timedelta(days=365)
    recency = {i: (AS_OF - max(d)).days for i, d in days.items()}
    frequency = {i: sum(1 for day in d if day > start) for i, d in days.items()}
    monetary = {i: sum(v for day, v in d.items() if day > start) for i, d in days.items()}
    scores = quintile(recency, False), quintile(frequency, True), quintile(monetary, True)
    medians = [statistics.median(m.values()) for m in (recency, frequency, monetary)]
    ours = {
        row[0]: row[1:]
        for row in demo_build.query(
            "select one_id, recency_days, frequency, r_score, f_score, m_score, rfm_segment, monetary"
            " from scores.customer_rfm"
        )
    }
    assert set(ours) == set(days) and len(ours) > 500
    for one_id, (r, f, r_score, f_score, m_score, segment, m) in ours.items():
        assert (r, f) == (recency[one_id], frequency[one_id])
        assert float(m) == pytest.approx(monetary[one_id])
        assert (r_score, f_score, m_score) == tuple(score[one_id] for score in scores)
        high = (recency[one_id] < medians[0], frequency[one_id] > medians[1], monetary[one_id] > medians[2])
        assert segment == RFM_CLASSES[high]
    assert len({row[5] for row in ours.values()}) >= 6


def expected_stage(days: list[date]) -> str:
    if not days:
        return "prospect"
    days = sorted(days)
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    own = len(days) >= LIFECYCLE["rhythm_min_purchase_days"]
    mean_gap = sum(gaps) / len(gaps) if gaps else None
    floor = LIFECYCLE["rhythm_min_days"]
    dormant = max(floor, LIFECYCLE["dormant_rhythm_multiple"] * mean_gap) if own else LIFECYCLE["dormant_days"]
    lost = max(floor, LIFECYCLE["lost_rhythm_multiple"] * mean_gap) if own else LIFECYCLE["lost_days"]
    since_last, since_first = (AS_OF - days[-1]).days, (AS_OF - days[0]).days
    if since_last > lost:
        return "lost"
    if since_last > dormant:
        return "dormant"
    if gaps and gaps[-1] > lost and since_last <= LIFECYCLE["winback_days"]:
        return "win_back"
    return "new" if since_first <= LIFECYCLE["new_days"] else "active"


def test_lifecycle_stages_match_a_python_reading_of_the_rules(demo_build):
    days = purchase_days(demo_build)
    ours = dict(demo_build.query("select one_id, lifecycle_stage from scores.customer_lifecycle"))
    people = {row[0] for row in demo_build.query("select one_id from customers.customers")}
    assert set(ours) == people
    wrong = [(i, stage) for i, stage in ours.items() if stage != expected_stage(list(days.get(i, {})))]
    assert not wrong, wrong[:5]
    assert {"prospect", "new", "active", "dormant", "lost"} <= set(ours.values())


def test_propensity_beats_chance_and_is_calibrated(demo_build):
    status, auc, brier, base_rate, calibration = demo_build.query(
        "select fit_status, holdout_auc, holdout_brier, holdout_base_rate, calibration from scores.model_propensity_fit"
    )[0]
    assert status == "fitted"
    assert auc > 0.65, auc
    assert brier < base_rate * (1 - base_rate)  # better than always predicting the base rate
    deciles = json.loads(calibration)
    assert len(deciles) == 10 and deciles[-1]["observed_rate"] > deciles[0]["observed_rate"]
    scored = demo_build.query(
        "select count(*), count(purchase_propensity_30d) from scores.customer_purchase_propensity"
    )[0]
    assert scored[0] == scored[1] > 0


def test_propensity_features_are_point_in_time(demo_build):
    """Training features equal the tags recomputed in Python at the snapshot, from rows up to it."""
    snapshot = AS_OF - timedelta(days=30)
    with duckdb.connect(str(demo_build.work_dir / "portrait.duckdb"), read_only=True) as con:
        cursor = con.execute("select * from scores.int_propensity_features where purpose = 'training'")
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        reference = tag_reference.compute_tags(
            con, tag_reference.load_definitions(), "customer", snapshot, tag_reference.starter_sql_tags(snapshot)
        )
    features = [c for c in columns if c not in ("purpose", "snapshot_date", "one_id", "purchased_after")]
    assert len(features) >= 15 and "order_count_30d" in features
    for row in rows:
        for feature in features:
            expected = reference[feature][row["one_id"]]
            assert (row[feature] is None and expected is None) or row[feature] == pytest.approx(expected), feature
    bought_after = {
        one_id
        for one_id, day in demo_build.query(
            "select one_id, order_date from customers.customer_orders where status = 'paid'"
        )
        if snapshot < day <= AS_OF
    }
    assert {row["one_id"] for row in rows if row["purchased_after"]} == bought_after


def test_propensity_refuses_to_train_when_a_data_gate_fails(demo_build, tmp_path):
    shutil.copy(demo_build.work_dir / "portrait.duckdb", tmp_path / "portrait.duckdb")
    args = ["run", "--select", "model_propensity_fit customer_purchase_propensity"]
    run = run_dbt([*args, "--vars", "{propensity_min_positives: 1000000}"], demo_build.raw_dir, tmp_path)
    assert run.success, run.failures()
    with duckdb.connect(str(tmp_path / "portrait.duckdb"), read_only=True) as con:
        status, auc = con.execute("select fit_status, holdout_auc from scores.model_propensity_fit").fetchone()
        scored = con.execute(
            "select count(purchase_propensity_30d) from scores.customer_purchase_propensity"
        ).fetchone()
    assert status.startswith("not fitted: positives") and "< 1000000" in status
    assert auc is None and scored == (0,)
