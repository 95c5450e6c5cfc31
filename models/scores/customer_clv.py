"""Per buyer, from the fitted BG/NBD and Gamma-Gamma parameters: the probability of being alive
(still a customer) on the as_of day, expected purchases (transaction days) in the next 30, 90 and
365 days, the expected value of a transaction, and the CLV over var clv_horizon_months at
var clv_monthly_discount_rate. Formulas: Fader, Hardie & Lee 2005 (equations 10 and 11) and
Fader & Hardie 2013 (equation 5). People without a purchase, or any fit that failed its data
gates, get nulls.
"""

import numpy as np
from scipy.special import hyp2f1

DAYS_PER_MONTH = 365.25 / 12


def probability_alive(params, frequency, recency, age):
    r, alpha, a, b = params
    ratio = np.zeros_like(age)
    repeat = frequency > 0
    ratio[repeat] = (a / (b + frequency[repeat] - 1)) * ((alpha + age[repeat]) / (alpha + recency[repeat])) ** (
        r + frequency[repeat]
    )
    return 1 / (1 + ratio)


def expected_purchases(params, frequency, recency, age, horizon):
    """E[Y(horizon) | frequency, recency, age] (paper, equation 10), horizon in the time unit."""
    r, alpha, a, b = params
    later = (alpha + age) / (alpha + age + horizon)
    bracket = 1 - later ** (r + frequency) * hyp2f1(
        r + frequency, b + frequency, a + b + frequency - 1, horizon / (alpha + age + horizon)
    )
    return (a + b + frequency - 1) / (a - 1) * bracket * probability_alive(params, frequency, recency, age)


def expected_order_value(params, frequency, mean_amount):
    """Gamma-Gamma conditional expectation of a transaction's value; the population mean without repeats."""
    p, q, gamma = params
    known = (frequency > 0) & (mean_amount > 0)
    value = np.full_like(frequency, p * gamma / (q - 1))
    value[known] = p * (gamma + frequency[known] * mean_amount[known]) / (p * frequency[known] + q - 1)
    return value


def lifetime_value(params, frequency, recency, age, order_value, unit_days, months, monthly_rate):
    """Discounted sum over the horizon's months of the expected purchases in each month times their value."""
    total, before = np.zeros_like(age), np.zeros_like(age)
    for month in range(1, months + 1):
        cumulative = expected_purchases(params, frequency, recency, age, month * DAYS_PER_MONTH / unit_days)
        total += (cumulative - before) * order_value / (1 + monthly_rate) ** month
        before = cumulative
    return total


def model(dbt, session):
    dbt.config(materialized="table")
    bgnbd = dbt.ref("model_bgnbd_params").project("r, alpha, a, b, time_unit_days").fetchall()[0]
    gamma_gamma = dbt.ref("model_gamma_gamma_params").project("p, q, gamma").fetchall()[0]
    summary = dbt.ref("customer_purchase_summary").project(  # noqa: F841 (read by the queries below)
        "one_id, frequency, recency, age, coalesce(repeat_mean_amount, 0) as repeat_mean_amount"
    )
    # Scored once per distinct (frequency, recency, age, mean amount), then joined back to people.
    groups = session.sql("select distinct frequency, recency, age, repeat_mean_amount from summary").fetchnumpy()
    frequency = groups["frequency"].astype(float)
    recency, age = groups["recency"].astype(float), groups["age"].astype(float)
    unit_days = float(bgnbd[4])
    nothing = np.full_like(age, np.nan)
    scores = {name: groups[name] for name in ("frequency", "recency", "age", "repeat_mean_amount")}
    if bgnbd[0] is None or np.isnan(bgnbd[0]):
        scores |= {name: nothing for name in ("p_alive", "expected_purchases_30d", "expected_purchases_90d")}
        scores |= {"expected_purchases_365d": nothing, "expected_order_value": nothing, "clv": nothing}
    else:
        params = np.array(bgnbd[:4], dtype=float)
        scores["p_alive"] = probability_alive(params, frequency, recency, age)
        for days in (30, 90, 365):
            scores[f"expected_purchases_{days}d"] = expected_purchases(
                params, frequency, recency, age, days / unit_days
            )
        order_value = nothing
        if gamma_gamma[0] is not None and not np.isnan(gamma_gamma[0]):
            mean_amount = groups["repeat_mean_amount"].astype(float)
            order_value = expected_order_value(np.array(gamma_gamma, dtype=float), frequency, mean_amount)
        scores["expected_order_value"] = order_value
        months, rate = int(dbt.config.get("horizon_months")), float(dbt.config.get("monthly_discount_rate"))
        scores["clv"] = lifetime_value(params, frequency, recency, age, order_value, unit_days, months, rate)
    return session.sql(
        "select summary.one_id, scores.* exclude (frequency, recency, age, repeat_mean_amount)"
        " from summary inner join scores using (frequency, recency, age, repeat_mean_amount)"
    )
