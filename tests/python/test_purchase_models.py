"""BG/NBD, Gamma-Gamma and CLV (models/scores) against the published CDNOW results."""

from __future__ import annotations

import importlib.util
from datetime import date

import cdnow
import pytest
from dbt_runner import ROOT, run_dbt

CALIBRATION_END = "1997-09-30"


def load_model_module(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "models" / "scores" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cdnow_build(tmp_path_factory):
    base = tmp_path_factory.mktemp("cdnow")
    lines = cdnow.sample_lines(ROOT / "build" / "cache")
    cdnow.write_raw_orders(lines, base / "raw")
    args = ["build", "--select", "+customer_clv", "--vars", f'{{as_of: "{CALIBRATION_END}"}}']
    run = run_dbt([*args, "--indirect-selection", "cautious"], base / "raw", base / "work")
    assert run.success, run.failures()
    return base / "work", lines


def query(work_dir, sql):
    import duckdb

    with duckdb.connect(str(work_dir / "portrait.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_bgnbd_reproduces_the_published_cdnow_estimates(cdnow_build):
    work_dir, _ = cdnow_build
    r, alpha, a, b, log_likelihood, buyers, status = query(
        work_dir, "select r, alpha, a, b, log_likelihood, buyers, fit_status from scores.model_bgnbd_params"
    )[0]
    assert status == "fitted" and buyers == 2357
    for ours, published in ((r, 0.243), (alpha, 4.414), (a, 0.793), (b, 2.426)):
        assert ours == pytest.approx(published, abs=0.01)
    assert log_likelihood == pytest.approx(-9582.4, abs=0.5)


def test_gamma_gamma_reproduces_the_published_cdnow_estimates(cdnow_build):
    work_dir, _ = cdnow_build
    p, q, gamma, repeat_buyers = query(
        work_dir, "select p, q, gamma, repeat_buyers from scores.model_gamma_gamma_params"
    )[0]
    assert repeat_buyers == 946
    for ours, published in ((p, 6.25), (q, 3.74), (gamma, 15.44)):
        assert ours == pytest.approx(published, abs=0.05)


def test_conditional_expectation_matches_the_textbook_example(cdnow_build):
    """Fader, Hardie & Lee: x = 2, t_x = 30.43, T = 38.86 weeks expects 1.226 purchases in the next 39 weeks."""
    import numpy as np

    work_dir, _ = cdnow_build
    params = np.array(query(work_dir, "select r, alpha, a, b from scores.model_bgnbd_params")[0])
    clv = load_model_module("customer_clv")
    one = np.array([2.0]), np.array([30.43]), np.array([38.86])
    assert clv.expected_purchases(params, *one, 39.0)[0] == pytest.approx(1.226, abs=0.005)


def test_summary_and_scores_follow_the_raw_transactions(cdnow_build):
    """Frequency, recency and age recomputed from the file; P(alive) is 1 without repeats."""
    work_dir, lines = cdnow_build
    days: dict[str, set] = {}
    for line in lines:
        customer, _, day, _, _ = line.split()
        days.setdefault(f"M{customer}", set()).add(date(int(day[:4]), int(day[4:6]), int(day[6:])))
    end = date.fromisoformat(CALIBRATION_END)
    expected = {}
    for member, member_days in days.items():
        kept = sorted(d for d in member_days if d <= end)
        expected[member] = (len(kept) - 1, (kept[-1] - kept[0]).days / 7, (end - kept[0]).days / 7)
    rows = query(
        work_dir,
        """
        select members.member_id, summary.frequency, summary.recency, summary.age, clv.p_alive,
            clv.expected_purchases_365d, clv.clv
        from scores.customer_purchase_summary as summary
        inner join (select distinct one_id, member_id from customers.orders) as members
            on summary.one_id = members.one_id
        inner join scores.customer_clv as clv on summary.one_id = clv.one_id
        """,
    )
    assert len(rows) == len(expected) == 2357
    for member, frequency, recency, age, p_alive, purchases, value in rows:
        assert (frequency, recency, age) == pytest.approx(expected[member])
        assert 0 < p_alive <= 1 and purchases >= 0 and value >= 0
        if frequency == 0:
            assert p_alive == 1
