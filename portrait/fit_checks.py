"""Checks that a fitted model may be used: its estimates, their standard errors and its scores.

Used by the fitted dbt Python models (models/scores/, models/segments/): a check returns the
reasons a fit cannot be used, an empty list when it can, so a model reports "not fitted: <reasons>"
instead of scores that lie (negative money, probabilities outside [0, 1]).
"""

from __future__ import annotations

import numpy as np

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
    MAX_LOG_STANDARD_ERROR (the data do not determine the parameter).."""
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
    [low, high].."""
    values = np.asarray(values, dtype=float)
    bad = ~np.isfinite(values) | (values < low) | (values > high)
    if not bad.any():
        return []
    return [f"{int(bad.sum())} of {values.size} {name} values not finite or outside [{low:g}, {high:g}]"]
