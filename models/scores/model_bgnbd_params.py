"""BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way") fitted by maximum
likelihood on the repeat-purchase summary as of the as_of day: one row with r, alpha (in the time
unit of var clv_time_unit_days), a, b, the log-likelihood, the sample and the fit's status.

The likelihood is written here (a few lines of scipy) instead of taken from the `lifetimes`
package, which is archived and pulls pandas and autograd; tests check it against the paper's
published CDNOW estimates. Customers sharing (frequency, recency, age) are fitted once, weighted
by their number, so the fit's cost does not grow with the customers.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

MIN_BUYERS = 50
MIN_REPEAT_BUYERS = 10


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
    """Maximum-likelihood r, alpha, a, b (optimised on their logarithms, so they stay positive)."""

    def negative(log_params):
        return -np.dot(weights, log_likelihood(np.exp(log_params), frequency, recency, age))

    result = minimize(negative, np.zeros(4), method="L-BFGS-B")
    return np.exp(result.x), -result.fun, bool(result.success)


def model(dbt, session):
    dbt.config(materialized="table")
    grouped = (
        dbt.ref("customer_purchase_summary")
        .aggregate("frequency, recency, age, count(*) as customers", "frequency, recency, age")
        .fetchnumpy()
    )
    frequency = grouped["frequency"].astype(float)
    weights = grouped["customers"].astype(float)
    buyers, repeat_buyers = int(weights.sum()), int(weights[frequency > 0].sum())
    params, fitted_log_likelihood, status = [np.nan] * 4, np.nan, "fitted"
    if buyers < MIN_BUYERS or repeat_buyers < MIN_REPEAT_BUYERS:
        needed = f"needs {MIN_BUYERS} and {MIN_REPEAT_BUYERS}"
        status = f"not fitted: {buyers} buyers and {repeat_buyers} repeat buyers ({needed})"
    else:
        recency, age = grouped["recency"].astype(float), grouped["age"].astype(float)
        params, fitted_log_likelihood, converged = fit(frequency, recency, age, weights)
        status = "fitted" if converged else "fitted: optimiser did not report convergence"
    row = {  # noqa: F841 (read by the query below)
        "r": np.array([params[0]]),
        "alpha": np.array([params[1]]),
        "a": np.array([params[2]]),
        "b": np.array([params[3]]),
        "log_likelihood": np.array([fitted_log_likelihood]),
        "buyers": np.array([buyers]),
        "repeat_buyers": np.array([repeat_buyers]),
        "distinct_summaries": np.array([len(weights)]),
        "time_unit_days": np.array([int(dbt.config.get("time_unit_days"))]),
        "fit_status": np.array([status], dtype=object),
        "as_of": np.array([dbt.config.get("as_of")], dtype=object),
    }
    return session.sql("select * replace (cast(as_of as date) as as_of), current_timestamp as fitted_at from row")
