"""Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value")
fitted by maximum likelihood on the mean value of each customer's repeat transactions as of the
as_of day (the first purchase excluded; repeat buyers only): one row with p, q, gamma, the
log-likelihood, the sample and the fit's status. Written here with scipy for the reason given in
model_bgnbd_params; tests check it against the published CDNOW estimates.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

MIN_REPEAT_BUYERS = 10


def log_likelihood(params, frequency, mean_amount):
    """Per-customer log-likelihood of p, q, gamma given x repeat transactions of mean value m."""
    p, q, gamma = params
    px = p * frequency
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(mean_amount)
        + px * np.log(frequency)
        - (px + q) * np.log(frequency * mean_amount + gamma)
    )


def fit(frequency, mean_amount):
    def negative(log_params):
        return -log_likelihood(np.exp(log_params), frequency, mean_amount).sum()

    result = minimize(negative, np.zeros(3), method="L-BFGS-B")
    return np.exp(result.x), -result.fun, bool(result.success)


def model(dbt, session):
    dbt.config(materialized="table")
    summary = (
        dbt.ref("customer_purchase_summary")
        .filter("frequency > 0 and repeat_mean_amount > 0")
        .project("frequency, repeat_mean_amount")
        .fetchnumpy()
    )
    frequency = summary["frequency"].astype(float)
    mean_amount = summary["repeat_mean_amount"].astype(float)
    params, fitted_log_likelihood = [np.nan] * 3, np.nan
    if len(frequency) < MIN_REPEAT_BUYERS:
        status = f"not fitted: {len(frequency)} repeat buyers with a positive amount (needs {MIN_REPEAT_BUYERS})"
    else:
        params, fitted_log_likelihood, converged = fit(frequency, mean_amount)
        status = "fitted" if converged else "fitted: optimiser did not report convergence"
    row = {  # noqa: F841 (read by the query below)
        "p": np.array([params[0]]),
        "q": np.array([params[1]]),
        "gamma": np.array([params[2]]),
        "log_likelihood": np.array([fitted_log_likelihood]),
        "repeat_buyers": np.array([len(frequency)]),
        "fit_status": np.array([status], dtype=object),
        "as_of": np.array([dbt.config.get("as_of")], dtype=object),
    }
    return session.sql("select * replace (cast(as_of as date) as as_of), current_timestamp as fitted_at from row")
