"""BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way") fitted by maximum
likelihood on the repeat-purchase summary as of the as_of day: one row with r, alpha (in the time
unit of var clv_time_unit_days), a, b, their standard errors, the log-likelihood, the sample and
the fit's status.

The likelihood is written here (a few lines of scipy) instead of taken from the `lifetimes`
package, which is archived and pulls pandas and autograd; tests check it against the paper's
published CDNOW estimates. Customers sharing (frequency, recency, age) are fitted once, weighted
by their number, so the fit's cost does not grow with the customers.

Validity gates: at least MIN_BUYERS buyers and MIN_REPEAT_BUYERS repeat buyers; the optimiser
converged; r, alpha, a, b positive, finite, off the optimiser's bounds (b -> 0 would give every
repeat buyer P(alive) = 0) and determined by the data (finite standard errors from the inverse
Hessian); for every summary fitted, P(alive) in [0, 1] and expected purchases in the next 30, 90
and 365 days finite, non-negative and growing with the horizon. A failed gate gives fit_status
"not fitted: <reasons>" (the estimates are kept for diagnosis) and customer_clv leaves every
score null.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

from portrait.fit_checks import estimate_problems, range_problems, standard_errors
from portrait.purchase_models import expected_purchases, probability_alive

MIN_BUYERS = 50
MIN_REPEAT_BUYERS = 10
NAMES = ("r", "alpha", "a", "b")
BOUNDS = ((1e-6, 1e6),) * 4
CHECKED_HORIZON_DAYS = (30, 90, 365)


def log_likelihood(params, frequency, recency, age):
    """Per-customer BG/NBD log-likelihood (paper, equation 6) of r, alpha, a, b."""
    r, alpha, a, b = params
    repeat = frequency > 0
    common = (
        gammaln(r + frequency)
        - gammaln(r)
        + r * np.log(alpha)
        + gammaln(a + b)
        + gammaln(b + frequency)
        - gammaln(b)
        - gammaln(a + b + frequency)
    )
    still_alive = -(r + frequency) * np.log(alpha + age)
    dropped_after_last = np.full_like(still_alive, -np.inf)
    dropped_after_last[repeat] = (
        np.log(a) - np.log(b + frequency[repeat] - 1) - (r + frequency[repeat]) * np.log(alpha + recency[repeat])
    )
    return common + np.logaddexp(still_alive, dropped_after_last)


def fit(frequency, recency, age, weights):
    """Maximum-likelihood r, alpha, a, b, optimised on their logarithms within BOUNDS: (estimates,
    log-likelihood, the optimiser's result, the negative log-likelihood of log-parameters)."""

    def negative(log_params):
        return -np.dot(weights, log_likelihood(np.exp(log_params), frequency, recency, age))

    log_bounds = [(np.log(low), np.log(high)) for low, high in BOUNDS]
    result = minimize(negative, np.zeros(4), method="L-BFGS-B", bounds=log_bounds)
    return np.exp(result.x), -result.fun, result, negative


def validity_problems(params, fitted_log_likelihood, log_errors, converged, frequency, recency, age, unit_days):
    """Every reason the fit cannot be used (empty when it can): the optimiser's convergence, the
    estimates (estimate_problems), and the scores of the summaries fitted in their ranges."""
    problems = [] if converged else ["the optimiser did not converge"]
    problems += estimate_problems(NAMES, params, BOUNDS, fitted_log_likelihood, log_errors)
    if problems:
        return problems
    with np.errstate(all="ignore"):  # overflows become non-finite scores, reported below
        problems += range_problems("P(alive)", probability_alive(params, frequency, recency, age), 0.0, 1.0)
        purchases = np.array(
            [expected_purchases(params, frequency, recency, age, days / unit_days) for days in CHECKED_HORIZON_DAYS]
        )
    problems += range_problems("expected purchases", purchases, 0.0)
    if not problems and (np.diff(purchases, axis=0) < 0).any():
        problems.append("expected purchases fall as the horizon grows")
    return problems


COLUMNS = (
    *NAMES, *(f"{name}_standard_error" for name in NAMES), "log_likelihood",
    "buyers", "repeat_buyers", "distinct_summaries", "time_unit_days", "fit_status",
)  # fmt: skip


def fit_params(frequency, recency, age, weights, unit_days) -> dict:
    """The model's row (COLUMNS: NaN for an estimate not computed) from the distinct (frequency,
    recency, age) summaries and their numbers of customers (float arrays, in one fixed order: the
    same data, the same fit)."""
    buyers, repeat_buyers = int(weights.sum()), int(weights[frequency > 0].sum())
    params, errors, fitted_log_likelihood = np.full(4, np.nan), np.full(4, np.nan), np.nan
    if buyers < MIN_BUYERS or repeat_buyers < MIN_REPEAT_BUYERS:
        needed = f"needs {MIN_BUYERS} and {MIN_REPEAT_BUYERS}"
        status = f"not fitted: {buyers} buyers and {repeat_buyers} repeat buyers ({needed})"
    else:
        params, fitted_log_likelihood, result, negative = fit(frequency, recency, age, weights)
        errors, log_errors = standard_errors(negative, result.x)
        problems = validity_problems(
            params, fitted_log_likelihood, log_errors, bool(result.success), frequency, recency, age, unit_days
        )
        status = "not fitted: " + "; ".join(problems) if problems else "fitted"
    return {
        **{name: float(params[index]) for index, name in enumerate(NAMES)},
        **{f"{name}_standard_error": float(errors[index]) for index, name in enumerate(NAMES)},
        "log_likelihood": float(fitted_log_likelihood),
        "buyers": buyers,
        "repeat_buyers": repeat_buyers,
        "distinct_summaries": len(weights),
        "time_unit_days": int(unit_days),
        "fit_status": status,
    }
