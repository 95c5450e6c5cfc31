"""Per buyer, from the fitted BG/NBD and Gamma-Gamma parameters: the probability of being alive
(still a customer) on the as_of day, expected purchases (transaction days) in the next 30, 90 and
365 days, the expected value of a transaction (currency of the amounts), and the CLV over var
clv_horizon_months at var clv_monthly_discount_rate. Formulas: Fader, Hardie & Lee 2005
(equations 10 and 11) and Fader & Hardie 2013 (equation 5).

Only a fit whose fit_status is "fitted" is used (the fits' validity gates, in model_bgnbd_params
and model_gamma_gamma_params, say why not otherwise): without the BG/NBD every score is null;
without the Gamma-Gamma the expected order value and the CLV are null. People without a purchase
get no row. As a last guard, a score that is not finite or outside its range (P(alive) in [0, 1],
the others non-negative) is null for that person; the data tests of _scores__models.yml check the
ranges.
"""

import numpy as np

from portrait.purchase_models import expected_order_value, expected_purchases, probability_alive

DAYS_PER_MONTH = 365.25 / 12
SCORE_RANGES = {
    "p_alive": (0.0, 1.0),
    "expected_purchases_30d": (0.0, np.inf),
    "expected_purchases_90d": (0.0, np.inf),
    "expected_purchases_365d": (0.0, np.inf),
    "expected_order_value": (0.0, np.inf),
    "clv": (0.0, np.inf),
}


def lifetime_value(params, frequency, recency, age, order_value, unit_days, months, monthly_rate):
    """Discounted sum over the horizon's months of the expected purchases in each month times their value."""
    total, before = np.zeros_like(age), np.zeros_like(age)
    for month in range(1, months + 1):
        cumulative = expected_purchases(params, frequency, recency, age, month * DAYS_PER_MONTH / unit_days)
        total += (cumulative - before) * order_value / (1 + monthly_rate) ** month
        before = cumulative
    return total


def within_range(scores):
    """The scores (name -> array) with every value that is not finite or outside SCORE_RANGES set to NaN."""
    kept = {}
    for name, values in scores.items():
        low, high = SCORE_RANGES.get(name, (-np.inf, np.inf))
        values = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            kept[name] = np.where(np.isfinite(values) & (values >= low) & (values <= high), values, np.nan)
    return kept


def fitted(status, params):
    """The parameters (a float array) of a fit whose fit_status is 'fitted', else None."""
    return np.array(params, dtype=float) if status == "fitted" else None


def clv_scores(bgnbd, gamma_gamma, unit_days, months, monthly_rate, frequency, recency, age, mean_amount) -> dict:
    """The scores (SCORE_RANGES names -> float arrays, NaN for null) of buyers with the given summaries
    (float arrays; mean_amount 0 without repeats) under the fits (parameter arrays, or None when not
    fitted). Element-wise: a summary's scores do not depend on the others."""
    nothing = np.full_like(age, np.nan)
    scores = {name: nothing for name in SCORE_RANGES}
    if bgnbd is not None:
        with np.errstate(all="ignore"):  # a non-finite score is nulled by within_range
            scores["p_alive"] = probability_alive(bgnbd, frequency, recency, age)
            for days in (30, 90, 365):
                scores[f"expected_purchases_{days}d"] = expected_purchases(
                    bgnbd, frequency, recency, age, days / unit_days
                )
            if gamma_gamma is not None:
                order_value = expected_order_value(gamma_gamma, frequency, mean_amount)
                scores["expected_order_value"] = order_value
                scores["clv"] = lifetime_value(
                    bgnbd, frequency, recency, age, order_value, unit_days, months, monthly_rate
                )
    return within_range(scores)
