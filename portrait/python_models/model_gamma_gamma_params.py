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

from portrait.fit_checks import estimate_problems, range_problems, standard_errors
from portrait.purchase_models import expected_order_value

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


COLUMNS = (*NAMES, *(f"{name}_standard_error" for name in NAMES), "log_likelihood", "repeat_buyers", "fit_status")


def fit_params(frequency, mean_amount) -> dict:
    """The model's row (COLUMNS: NaN for an estimate not computed) from the repeat buyers with a
    positive amount: repeat transactions and their mean value (float arrays, in one fixed order)."""
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
    return {
        **{name: float(params[index]) for index, name in enumerate(NAMES)},
        **{f"{name}_standard_error": float(errors[index]) for index, name in enumerate(NAMES)},
        "log_likelihood": float(fitted_log_likelihood),
        "repeat_buyers": len(frequency),
        "fit_status": status,
    }
