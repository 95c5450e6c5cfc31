"""Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma Model of Monetary Value";
Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis";
after Colombo & Jiang 1999) fitted by maximum likelihood on the mean value of each customer's
repeat transactions as of the as_of day (the first purchase excluded; repeat buyers only): one row
with p, q, gamma (gamma in the currency of the amounts), their standard errors, the
log-likelihood, the sample and the fit's status. Written here with scipy for the reason given in
model_bgnbd_params; tests check it against the published CDNOW estimates.

Validity gates: at least MIN_REPEAT_BUYERS repeat buyers with a positive amount; the optimiser
converged; p, q, gamma positive, finite, off the optimiser's bounds and determined by the data
(finite standard errors from the inverse Hessian); q > 1, without which the mean spend
p * gamma / (q - 1) is not finite and the expected order value turns negative; and the expected
order value of every summary positive and finite. A failed gate gives fit_status
"not fitted: <reasons>" (the estimates are kept for diagnosis) and customer_clv leaves the
expected order value and CLV null.
"""

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

MIN_REPEAT_BUYERS = 10
NAMES = ("p", "q", "gamma")
BOUNDS = ((1e-6, 1e6), (1e-6, 1e6), (1e-6, 1e9))


def log_likelihood(params, frequency, mean_amount):
    """Per-customer log-likelihood of p, q, gamma given x repeat transactions of mean value m
    (Fader & Hardie 2013, equation 3); arrays of one value per customer."""
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
    """Maximum-likelihood p, q, gamma, optimised on their logarithms within BOUNDS: (estimates,
    log-likelihood, the optimiser's result, the negative log-likelihood of log-parameters)."""

    def negative(log_params):
        return -log_likelihood(np.exp(log_params), frequency, mean_amount).sum()

    log_bounds = [(np.log(low), np.log(high)) for low, high in BOUNDS]
    result = minimize(negative, np.zeros(3), method="L-BFGS-B", bounds=log_bounds)
    return np.exp(result.x), -result.fun, result, negative


def expected_order_value(params, frequency, mean_amount):
    """Gamma-Gamma conditional expectation of a transaction's value (Fader & Hardie 2013,
    equation 5; currency of the amounts); the population mean p * gamma / (q - 1) without repeats.
    Meaningful for q > 1 only. Shared, identical, by model_gamma_gamma_params and customer_clv."""
    p, q, gamma = params
    known = (frequency > 0) & (mean_amount > 0)
    value = np.full_like(frequency, p * gamma / (q - 1))
    value[known] = p * (gamma + frequency[known] * mean_amount[known]) / (p * frequency[known] + q - 1)
    return value


def validity_problems(params, fitted_log_likelihood, log_errors, converged, frequency, mean_amount):
    """Every reason the fit cannot be used (empty when it can): the optimiser's convergence, the
    estimates (estimate_problems), q > 1, and the expected order value of every summary and of a
    buyer without repeats positive and finite."""
    problems = [] if converged else ["the optimiser did not converge"]
    if np.isfinite(params[1]) and params[1] <= 1:
        problems.append(f"q = {params[1]:.4g} <= 1: the mean spend p * gamma / (q - 1) is not finite")
    problems += estimate_problems(NAMES, params, BOUNDS, fitted_log_likelihood, log_errors)
    if not problems:
        values = expected_order_value(params, np.append(frequency, 0.0), np.append(mean_amount, 0.0))
        problems += range_problems("expected order value", values, np.finfo(float).tiny)
    return problems


MAX_LOG_STANDARD_ERROR = 5.0  # one standard error of log(parameter) spanning a factor of ~150


def standard_errors(negative_log_likelihood, log_estimates, step=1e-3):
    """Standard errors of the parameters from the inverse Hessian of the negative log-likelihood
    in log-parameter space (central differences of `step`), as (standard errors of the parameters
    by the delta method, standard errors of their logarithms); NaN for all when the Hessian is not
    finite or not positive definite (a flat or saddle-shaped likelihood)."""
    count = len(log_estimates)
    shifts = np.eye(count) * step
    hessian = np.empty((count, count))
    for i in range(count):
        for j in range(count):
            hessian[i, j] = (
                negative_log_likelihood(log_estimates + shifts[i] + shifts[j])
                - negative_log_likelihood(log_estimates + shifts[i] - shifts[j])
                - negative_log_likelihood(log_estimates - shifts[i] + shifts[j])
                + negative_log_likelihood(log_estimates - shifts[i] - shifts[j])
            ) / (4 * step * step)
    nothing = np.full(count, np.nan)
    if not np.isfinite(hessian).all() or np.linalg.eigvalsh((hessian + hessian.T) / 2).min() <= 0:
        return nothing, nothing
    log_errors = np.sqrt(np.diag(np.linalg.inv(hessian)))
    return np.exp(log_estimates) * log_errors, log_errors


def estimate_problems(names, estimates, bounds, log_likelihood, log_errors):
    """Reasons maximum-likelihood estimates cannot be used (empty when they can): an estimate not
    positive and finite, one within 0.01% of a bound (low, high) the optimiser was given, a
    log-likelihood not finite, a standard error of log(estimate) not finite or above
    MAX_LOG_STANDARD_ERROR (the data do not determine the parameter). Shared, identical, by
    model_bgnbd_params and model_gamma_gamma_params."""
    problems = [] if np.isfinite(log_likelihood) else ["log-likelihood not finite"]
    for name, value, (low, high), log_error in zip(names, estimates, bounds, log_errors, strict=True):
        if not (np.isfinite(value) and value > 0):
            problems.append(f"{name} = {value:.4g} is not positive and finite")
        elif min(abs(np.log(value / low)), abs(np.log(value / high))) < 1e-4:
            problems.append(f"{name} = {value:.4g} is on the optimiser's bound [{low:g}, {high:g}]")
        elif not np.isfinite(log_error):
            problems.append(f"{name} has no finite standard error (the likelihood is flat or not curved upward)")
        elif log_error > MAX_LOG_STANDARD_ERROR:
            problems.append(
                f"{name} = {value:.4g} is not determined by the data (standard error of its log {log_error:.3g})"
            )
    return problems


def range_problems(name, values, low=-np.inf, high=np.inf):
    """Reasons (a list of 0 or 1 strings) that `values` (any shape) are not all finite and within
    [low, high]. A copy of this function is in every fitted model of models/scores and
    models/segments (dbt Python models cannot import project modules); tests keep them identical."""
    values = np.asarray(values, dtype=float)
    bad = ~np.isfinite(values) | (values < low) | (values > high)
    if not bad.any():
        return []
    return [f"{int(bad.sum())} of {values.size} {name} values not finite or outside [{low:g}, {high:g}]"]


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
    params, errors, fitted_log_likelihood = np.full(3, np.nan), np.full(3, np.nan), np.nan
    if len(frequency) < MIN_REPEAT_BUYERS:
        status = f"not fitted: {len(frequency)} repeat buyers with a positive amount (needs {MIN_REPEAT_BUYERS})"
    else:
        params, fitted_log_likelihood, result, negative = fit(frequency, mean_amount)
        errors, log_errors = standard_errors(negative, result.x)
        problems = validity_problems(
            params, fitted_log_likelihood, log_errors, bool(result.success), frequency, mean_amount
        )
        status = "not fitted: " + "; ".join(problems) if problems else "fitted"
    row = {  # noqa: F841 (read by the query below)
        **{name: np.array([params[index]]) for index, name in enumerate(NAMES)},
        **{f"{name}_standard_error": np.array([errors[index]]) for index, name in enumerate(NAMES)},
        "log_likelihood": np.array([fitted_log_likelihood]),
        "repeat_buyers": np.array([len(frequency)]),
        "fit_status": np.array([status], dtype=object),
        "as_of": np.array([dbt.config.get("as_of")], dtype=object),
    }
    numbers = [name for name in row if name not in ("repeat_buyers", "fit_status", "as_of")]
    return session.sql(
        "select " + ", ".join(f"nullif({name}, 'nan') as {name}" for name in numbers) + ", repeat_buyers,"
        " cast(fit_status as varchar) as fit_status, cast(as_of as date) as as_of, current_timestamp as fitted_at"
        " from row"
    )
