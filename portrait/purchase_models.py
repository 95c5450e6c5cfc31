"""Purchase-model formulas shared by the fit and the scoring models: BG/NBD (Fader, Hardie & Lee
2005, "Counting Your Customers the Easy Way") and Gamma-Gamma spend (Fader & Hardie 2013, "The
Gamma-Gamma Model of Monetary Value"). Arrays hold one value per customer (or per group of
customers sharing a summary); recency, age and horizon are in the fit's time unit.
"""

from __future__ import annotations

import numpy as np
from scipy.special import hyp2f1


def probability_alive(params, frequency, recency, age):
    """P(alive | frequency, recency, age) (Fader, Hardie & Lee 2005, equation 11): arrays of one
    value per customer, recency and age in the time unit; 1 without repeat purchases.."""
    r, alpha, a, b = params
    ratio = np.zeros_like(age)
    repeat = frequency > 0
    ratio[repeat] = (a / (b + frequency[repeat] - 1)) * ((alpha + age[repeat]) / (alpha + recency[repeat])) ** (
        r + frequency[repeat]
    )
    return 1 / (1 + ratio)


def expected_purchases(params, frequency, recency, age, horizon):
    """E[Y(horizon) | frequency, recency, age] (Fader, Hardie & Lee 2005, equation 10), horizon in
    the time unit: expected transactions in the horizon after as_of.."""
    r, alpha, a, b = params
    later = (alpha + age) / (alpha + age + horizon)
    bracket = 1 - later ** (r + frequency) * hyp2f1(
        r + frequency, b + frequency, a + b + frequency - 1, horizon / (alpha + age + horizon)
    )
    return (a + b + frequency - 1) / (a - 1) * bracket * probability_alive(params, frequency, recency, age)


def expected_order_value(params, frequency, mean_amount):
    """Gamma-Gamma conditional expectation of a transaction's value (Fader & Hardie 2013,
    equation 5; currency of the amounts); the population mean p * gamma / (q - 1) without repeats.
    Meaningful for q > 1 only.."""
    p, q, gamma = params
    known = (frequency > 0) & (mean_amount > 0)
    value = np.full_like(frequency, p * gamma / (q - 1))
    value[known] = p * (gamma + frequency[known] * mean_amount[known]) / (p * frequency[known] + q - 1)
    return value
