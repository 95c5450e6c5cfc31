"""Validity gates of the fitted models (models/scores, models/segments/segment_lookalike_fits): a fit
that converges to nonsense is refused with its reason and leaves its scores empty; no score is
ever outside its range. Case 10 of tests/data/cases, each kind of gate on its own, a tiny data set
of a new user, and the ranges on the demo data."""

from __future__ import annotations

import csv
import importlib.util
from collections import defaultdict
from datetime import date, datetime

import duckdb
import numpy as np
import pytest
from cases import CASES_DIR, build_case, build_raw
from dbt_runner import ROOT
from scipy.optimize import minimize
from scipy.special import gammaln

from portrait import fit_checks, purchase_models

CASE = "10-gamma-gamma-q-below-1"
SCORE_COLUMNS = ("p_alive", "expected_purchases_30d", "expected_purchases_90d", "expected_purchases_365d")
MONEY_COLUMNS = ("expected_order_value", "clv")


def load_model(folder: str, name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "models" / folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bgnbd = load_model("scores", "model_bgnbd_params")
gamma_gamma = load_model("scores", "model_gamma_gamma_params")
clv = load_model("scores", "customer_clv")
propensity_fit = load_model("scores", "model_propensity_fit")
propensity = load_model("scores", "customer_purchase_propensity")
lookalike = load_model("segments", "segment_lookalike_fits")


# --- case 10: repeat buyers whose spend per purchase varies wildly --------------------------------


def case_repeat_spend() -> tuple[np.ndarray, np.ndarray]:
    """(repeat transactions, mean value of the repeat transactions) per repeat buyer, read straight
    from the case's orders file: one transaction per member and day, the first one excluded."""
    days: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    with (CASES_DIR / CASE / "raw" / "ecommerce_orders" / "orders.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            if row["status"] == "paid":
                day = datetime.fromisoformat(row["order_time"]).date()
                days[row["member_id"]][day] += float(row["paid_amount"])
    frequency, mean_amount = [], []
    for member_days in days.values():
        amounts = [member_days[day] for day in sorted(member_days)][1:]
        if amounts:
            frequency.append(len(amounts))
            mean_amount.append(sum(amounts) / len(amounts))
    return np.array(frequency, dtype=float), np.array(mean_amount)


def unconstrained_gamma_gamma(frequency, mean_amount) -> np.ndarray:
    """p, q, gamma maximising the Gamma-Gamma likelihood (Fader & Hardie 2013, eq. 3) with no
    constraint but positivity: the density of a buyer's mean spend z given x transactions is
    Gamma(px+q) / (Gamma(px) Gamma(q)) * gamma^q z^(px-1) x^(px) / (gamma + x z)^(px+q)."""

    def negative(log_params):
        p, q, scale = np.exp(log_params)
        px = p * frequency
        density = (
            (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(scale) + (px - 1) * np.log(mean_amount))
            + px * np.log(frequency)
            - (px + q) * np.log(scale + frequency * mean_amount)
        )
        return -density.sum()

    result = minimize(negative, np.log([1.0, 2.0, 100.0]), method="Nelder-Mead", options={"maxiter": 20000})
    return np.exp(result.x)


@pytest.fixture(scope="module")
def case_10(tmp_path_factory):
    return build_case(CASE, tmp_path_factory.mktemp("case10") / "work")


def test_case_10_builds(case_10):
    assert case_10.run.success, case_10.run.failures()


def test_case_10_unconstrained_gamma_gamma_has_no_finite_mean_spend():
    """The independent fit: q <= 1, so the population mean p * gamma / (q - 1) is negative; that is
    what the gate refuses."""
    frequency, mean_amount = case_repeat_spend()
    assert len(frequency) == 12
    p, q, scale = unconstrained_gamma_gamma(frequency, mean_amount)
    assert q < 1
    assert p * scale / (q - 1) < 0
    problems = gamma_gamma.validity_problems(
        np.array([p, q, scale]), -100.0, np.full(3, 0.1), True, frequency, mean_amount
    )
    assert any(problem.startswith(f"q = {q:.4g} <= 1") for problem in problems), problems


def test_case_10_gamma_gamma_is_refused_with_its_reason(case_10):
    status, q, repeat_buyers = case_10.query(
        "select fit_status, q, repeat_buyers from scores.model_gamma_gamma_params"
    )[0]
    assert repeat_buyers == 12
    if status == "fitted":
        assert q > 1
    else:
        assert status.startswith("not fitted: ") and "q = " in status and "<= 1" in status, status
        assert q < 1  # the refused estimate is kept for diagnosis


def test_case_10_nobody_gets_negative_money(case_10):
    people, negative, beyond = case_10.query(
        """
        select count(*),
            count(*) filter (where expected_order_value < 0 or clv < 0),
            count(*) filter (where p_alive not between 0 and 1 or expected_purchases_365d < 0)
        from scores.customer_clv
        """
    )[0]
    assert (people, negative, beyond) == (52, 0, 0)
    money = case_10.query("select count(expected_order_value), count(clv) from scores.customer_scores")[0]
    assert money == (0, 0)  # refused Gamma-Gamma: no order value, no CLV


def test_case_10_degenerate_bgnbd_is_refused_and_scores_nobody(case_10):
    """All 12 repeat buyers share one summary: the BG/NBD runs off to b -> 0 / alpha -> infinity
    (everyone's P(alive) ~ 0), so it is refused and P(alive) is empty."""
    status = case_10.scalar("select fit_status from scores.model_bgnbd_params")
    assert status.startswith("not fitted: "), status
    # the optimiser's end point moves with floating-point summation order; every way it ends names
    # the degeneracy: a parameter at its bound, not determined, or a flat likelihood
    degenerate = ("bound", "not determined by the data", "no finite standard error")
    assert any(reason in status for reason in degenerate), status
    assert case_10.scalar("select count(p_alive) + count(expected_purchases_365d) from scores.customer_clv") == 0


def test_case_10_summary_prints_every_fit_status(case_10):
    from portrait import summary

    with duckdb.connect(str(case_10.work_dir / "portrait.duckdb"), read_only=True) as con:
        statuses = dict(summary.model_fit_statuses(con))
        printed = summary.format_summary(con)
    assert set(statuses) >= {"model_bgnbd_params", "model_gamma_gamma_params", "model_propensity_fit"}
    assert statuses["model_gamma_gamma_params"].startswith("not fitted: q = ")
    assert "model fits" in printed and statuses["model_bgnbd_params"] in printed


# --- each gate on its own ------------------------------------------------------------------------

VALID = np.array([0.5, 10.0, 0.8, 2.5])
BOUNDS = ((1e-6, 1e6),) * 4
SMALL_ERRORS = np.full(4, 0.1)
NAMES = ("r", "alpha", "a", "b")


def test_valid_estimates_pass():
    assert fit_checks.estimate_problems(NAMES, VALID, BOUNDS, -100.0, SMALL_ERRORS) == []


@pytest.mark.parametrize(
    ("estimates", "log_likelihood", "log_errors", "expected"),
    [
        ([0.5, 10.0, 0.8, 1e-6], -100.0, SMALL_ERRORS, "b = 1e-06 is on the optimiser's bound"),
        ([0.5, 1e6, 0.8, 2.5], -100.0, SMALL_ERRORS, "alpha = 1e+06 is on the optimiser's bound"),
        ([0.5, 10.0, -0.8, 2.5], -100.0, SMALL_ERRORS, "a = -0.8 is not positive and finite"),
        ([np.inf, 10.0, 0.8, 2.5], -100.0, SMALL_ERRORS, "r = inf is not positive and finite"),
        ([np.nan, 10.0, 0.8, 2.5], -100.0, SMALL_ERRORS, "r = nan is not positive and finite"),
        (VALID, -np.inf, SMALL_ERRORS, "log-likelihood not finite"),
        (VALID, np.nan, SMALL_ERRORS, "log-likelihood not finite"),
        (VALID, -100.0, [0.1, np.nan, 0.1, 0.1], "alpha has no finite standard error"),
        (VALID, -100.0, [0.1, 0.1, 0.1, 40.0], "b = 2.5 is not determined by the data"),
    ],
)
def test_each_estimate_gate_names_its_reason(estimates, log_likelihood, log_errors, expected):
    problems = fit_checks.estimate_problems(NAMES, np.array(estimates), BOUNDS, log_likelihood, np.array(log_errors))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_standard_errors_match_a_known_curvature():
    """-log L = sum (x_i / sigma_i)^2 / 2 in log-parameter space: the inverse Hessian's diagonal is sigma^2."""
    sigma = np.array([0.5, 2.0, 0.1])
    errors, log_errors = fit_checks.standard_errors(lambda x: 0.5 * np.sum((x / sigma) ** 2), np.zeros(3))
    assert log_errors == pytest.approx(sigma, rel=1e-4)
    assert errors == pytest.approx(sigma, rel=1e-4)  # at log(theta) = 0, theta = 1


@pytest.mark.parametrize(
    "negative_log_likelihood",
    [
        lambda x: 0.0 * x.sum(),  # flat: singular Hessian
        lambda x: -np.sum(x**2),  # a maximum of -log L, not a minimum
        lambda x: np.nan * x.sum(),  # not computable
    ],
)
def test_standard_errors_are_nan_when_the_likelihood_is_not_curved_upward(negative_log_likelihood):
    errors, log_errors = fit_checks.standard_errors(negative_log_likelihood, np.zeros(4))
    assert np.isnan(errors).all() and np.isnan(log_errors).all()
    problems = fit_checks.estimate_problems(NAMES, VALID, BOUNDS, -100.0, log_errors)
    assert len(problems) == 4 and all("no finite standard error" in problem for problem in problems)


def test_the_optimisers_bounds_are_the_gates_bounds():
    """A degenerate likelihood pushed to a bound is reported as on the bound by the same table."""
    for module in (bgnbd, gamma_gamma):
        assert len(module.BOUNDS) == len(module.NAMES)
        assert all(0 < low < 1 < high for low, high in module.BOUNDS)


def test_bgnbd_with_b_near_zero_gives_everyone_p_alive_near_zero_and_is_refused():
    """With one repeat purchase, P(alive) = 1 / (1 + a / b * ...): b -> 0 takes it to 0."""
    frequency, recency, age = np.array([1.0, 1.0]), np.array([10.0, 20.0]), np.array([25.0, 25.0])
    degenerate = np.array([0.5, 10.0, 0.8, 1e-6])
    assert (purchase_models.probability_alive(degenerate, frequency, recency, age) < 1e-5).all()
    problems = bgnbd.validity_problems(degenerate, -50.0, SMALL_ERRORS, True, frequency, recency, age, 7)
    assert any("b = 1e-06 is on the optimiser's bound" in problem for problem in problems), problems


def test_bgnbd_scores_outside_their_range_refuse_the_fit():
    """a = 1 exactly: the conditional expectation divides by a - 1, so expected purchases are not finite."""
    frequency, recency, age = np.array([0.0, 2.0]), np.array([0.0, 20.0]), np.array([25.0, 30.0])
    problems = bgnbd.validity_problems(
        np.array([0.5, 10.0, 1.0, 2.5]), -50.0, SMALL_ERRORS, True, frequency, recency, age, 7
    )
    assert any("expected purchases values not finite or outside [0, inf]" in problem for problem in problems), problems
    assert bgnbd.validity_problems(VALID, -50.0, SMALL_ERRORS, True, frequency, recency, age, 7) == []


def test_an_optimiser_that_did_not_converge_refuses_the_fit():
    frequency, mean_amount = np.array([1.0, 2.0]), np.array([100.0, 80.0])
    problems = gamma_gamma.validity_problems(
        np.array([6.0, 3.7, 15.0]), -50.0, np.full(3, 0.1), False, frequency, mean_amount
    )
    assert problems == ["the optimiser did not converge"]
    assert (
        gamma_gamma.validity_problems(np.array([6.0, 3.7, 15.0]), -50.0, np.full(3, 0.1), True, frequency, mean_amount)
        == []
    )


@pytest.mark.parametrize(
    ("values", "low", "high", "bad"),
    [
        ([0.0, 0.5, 1.0], 0, 1, 0),
        ([0.5, 1.2], 0, 1, 1),
        ([-0.1, 3.0], 0, np.inf, 1),
        ([np.nan, np.inf, 1.0], 0, np.inf, 2),
    ],
)
def test_range_problems_count_values_outside_the_range(values, low, high, bad):
    problems = fit_checks.range_problems("score", values, low, high)
    assert problems == (
        [] if not bad else [f"{bad} of {len(values)} score values not finite or outside [{low:g}, {high:g}]"]
    )


def test_customer_clv_nulls_any_score_outside_its_range():
    kept = clv.within_range({"p_alive": np.array([0.2, 1.5, np.nan]), "clv": np.array([-1.0, 3.0, np.inf])})
    assert np.isnan(kept["p_alive"]).tolist() == [False, True, True]
    assert np.isnan(kept["clv"]).tolist() == [True, False, True]


def test_propensity_gates_after_the_fit():
    fitted = {"coefficients": [0.5, np.inf], "intercept": 0.1}
    metrics = {"holdout_auc": 0.7, "holdout_brier": 0.1}
    problems = propensity_fit.validity_problems(fitted, metrics, np.array([0.2, 0.4]), False)
    assert problems[0] == "the solver did not converge"
    assert any(problem.startswith("1 of 3 coefficient values not finite") for problem in problems), problems
    fitted["coefficients"] = [0.5, 0.2]
    assert propensity_fit.validity_problems(fitted, metrics, np.array([0.2, 0.4]), True) == []
    metrics["holdout_auc"] = np.nan
    assert propensity_fit.validity_problems(fitted, metrics, np.array([0.2, 0.4]), True) != []


def test_propensity_needs_both_classes_on_both_sides_of_the_split():
    labels = np.array([True, False, False, True])
    holdout = np.array([False, False, True, True])
    assert propensity_fit.split_problems(labels, holdout) == []
    assert propensity_fit.split_problems(np.array([False, False, False, True]), holdout) == [
        "no positives among the training people"
    ]


def test_propensity_scores_are_probabilities_or_null():
    fitted = {"fill": [0.0], "mean": [0.0], "scale": [1.0], "coefficients": [1000.0], "intercept": 0.0}
    scores = propensity.probabilities(np.array([[1e300], [-1e300], [0.0]]), fitted)
    assert scores.tolist() == [1.0, 0.0, 0.5]
    fitted["coefficients"] = [np.nan]
    assert np.isnan(propensity.probabilities(np.array([[1.0]]), fitted)).all()


def lookalike_inputs(people=400, seed_share=0.3):
    generator = np.random.default_rng(1)
    one_ids = np.array([f"OID{i:04d}" for i in range(people)], dtype=object)
    is_seed = generator.random(people) < seed_share
    matrix = np.column_stack([generator.normal(size=people) + 2 * is_seed, generator.normal(size=people)])
    return one_ids, {one_id for one_id, seed in zip(one_ids, is_seed, strict=True) if seed}, matrix


def test_lookalike_fits_when_the_gates_pass():
    one_ids, seed_ids, matrix = lookalike_inputs()
    row = lookalike.lookalike("look", {"seed": "s", "size": 20}, seed_ids, one_ids, matrix, ["f1", "f2"], 50)
    assert row["status"] == "fitted" and len(row["members"]) == 20
    assert all(0 <= score <= 1 for score in row["scores"]) and 0.5 < row["holdout_auc"] <= 1


def test_lookalike_without_features_is_refused():
    one_ids, seed_ids, matrix = lookalike_inputs()
    row = lookalike.lookalike("look", {"seed": "s", "size": 20}, seed_ids, one_ids, matrix[:, :0], [], 50)
    assert row["status"] == "refused" and row["members"] == [] and "no number or boolean tag" in row["message"]


def test_lookalike_that_does_not_converge_is_refused(monkeypatch):
    # the computation lives in portrait.python_models (shared with the Spark twin), its constant too
    monkeypatch.setattr(importlib.import_module("portrait.python_models.segment_lookalike_fits"), "MAX_ITER", 1)
    one_ids, seed_ids, matrix = lookalike_inputs()
    row = lookalike.lookalike("look", {"seed": "s", "size": 20}, seed_ids, one_ids, matrix, ["f1", "f2"], 50)
    assert row["status"] == "refused" and row["members"] == []
    assert row["message"] == "refused: the solver did not converge"


def test_lookalike_split_without_seed_members_in_training_is_refused():
    one_ids, _, matrix = lookalike_inputs()
    held_out = {one_id for one_id in one_ids if lookalike.is_holdout(one_id)}
    row = lookalike.lookalike("look", {"seed": "s", "size": 20}, held_out, one_ids, matrix, ["f1", "f2"], 1)
    assert row["status"] == "refused" and "no other people among the held-out people" in row["message"]
    assert "no seed members among the training people" in row["message"]


# --- a new user's tiny data set --------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """Two members, two orders: nothing can be fitted."""
    base = tmp_path_factory.mktemp("tiny")
    members = base / "raw" / "crm_members" / "members.csv"
    members.parent.mkdir(parents=True)
    members.write_text(
        "member_id,phone,name,city,registered_at\n"
        "T1,13912345601,张三,上海市,2024-01-05 10:00:00\n"
        "T2,13912345602,李四,北京市,2024-02-05 10:00:00\n",
        encoding="utf-8",
    )
    orders = base / "raw" / "ecommerce_orders" / "orders.csv"
    orders.parent.mkdir(parents=True)
    orders.write_text(
        "platform,order_id,buyer_id,member_id,phone,order_time,status,paid_amount\n"
        "tmall,O1,tb1,T1,13912345601,2024-03-01 10:00:00,paid,120.00\n"
        "tmall,O2,tb2,T2,13912345602,2024-04-01 10:00:00,paid,80.00\n",
        encoding="utf-8",
    )
    return build_raw(base / "raw", base / "work")


def test_tiny_data_builds_and_says_why_nothing_is_fitted(tiny):
    assert tiny.run.success, tiny.run.failures()
    assert tiny.scalar("select fit_status from scores.model_bgnbd_params") == (
        "not fitted: 2 buyers and 0 repeat buyers (needs 50 and 10)"
    )
    assert tiny.scalar("select fit_status from scores.model_gamma_gamma_params") == (
        "not fitted: 0 repeat buyers with a positive amount (needs 10)"
    )
    assert tiny.scalar("select fit_status from scores.model_propensity_fit").startswith("not fitted: positives 0 < 50")
    for status, message in tiny.query("select status, message from segments.segment_lookalike_fits"):
        assert status == "refused" and message.startswith("refused: "), message


def test_tiny_data_scores_are_empty(tiny):
    columns = ", ".join(f"count({column})" for column in (*SCORE_COLUMNS, *MONEY_COLUMNS))
    assert tiny.query(f"select count(*), {columns} from scores.customer_clv")[0] == (2, 0, 0, 0, 0, 0, 0)
    assert tiny.scalar("select count(purchase_propensity_30d) from scores.customer_purchase_propensity") == 0


# --- the demo data: healthy fits pass their gates, every score in range ---------------------------


def test_demo_fits_pass_their_gates(demo_build):
    statuses = demo_build.query(
        "select fit_status from scores.model_bgnbd_params union all select fit_status from"
        " scores.model_gamma_gamma_params union all select fit_status from scores.model_propensity_fit"
    )
    assert statuses == [("fitted",)] * 3
    (q,) = demo_build.query("select q from scores.model_gamma_gamma_params")[0]
    assert q > 1


def test_demo_scores_are_within_their_ranges(demo_build):
    (row,) = demo_build.query(
        """
        select
            count(*) filter (where p_alive not between 0 and 1),
            count(*) filter (where least(expected_purchases_30d, expected_purchases_90d, expected_purchases_365d) < 0),
            count(*) filter (where expected_purchases_30d > expected_purchases_90d
                or expected_purchases_90d > expected_purchases_365d),
            count(*) filter (where expected_order_value <= 0 or clv < 0),
            count(*) filter (where p_alive is null or clv is null),
            count(*)
        from scores.customer_clv
        """
    )
    assert row[:5] == (0, 0, 0, 0, 0) and row[5] > 1000
    bad, scored = demo_build.query(
        "select count(*) filter (where purchase_propensity_30d not between 0 and 1), count(purchase_propensity_30d)"
        " from scores.customer_purchase_propensity"
    )[0]
    assert bad == 0 and scored > 1000
    for status, scores in demo_build.query("select status, scores from segments.segment_lookalike_fits"):
        assert status == "fitted" and all(0 <= score <= 1 for score in scores)


def test_demo_build_runs_the_range_tests(demo_build):
    """The data tests that guard the ranges ran (and passed) in the demo build."""
    names = [result.node.name for result in demo_build.run.results]
    assert "assert_model_fits_and_scores_are_valid" in names
    assert any(name.startswith("accepted_range_customer_clv_clv") for name in names)
    failed = [result.node.name for result in demo_build.run.results if result.status in ("error", "fail")]
    assert failed == []
