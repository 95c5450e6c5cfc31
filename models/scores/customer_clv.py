"""Per buyer, from the fitted BG/NBD and Gamma-Gamma parameters: the probability of being alive on
the as_of day, expected purchases in the next 30, 90 and 365 days, the expected value of a
transaction and the CLV over var clv_horizon_months at var clv_monthly_discount_rate. Only a fit
whose fit_status is "fitted" is used; people without a purchase get no row.

The computation and its description are in portrait/python_models/customer_clv.py, shared with the
Spark twin models/scores/spark/customer_clv.sql; this file scores each distinct summary once and
joins the scores back to people.
"""

from portrait.purchase_models import expected_purchases  # noqa: F401 (tests call it here)
from portrait.python_models.customer_clv import (  # noqa: F401 (tests call lifetime_value, within_range here)
    SCORE_RANGES,
    clv_scores,
    fitted,
    lifetime_value,
    within_range,
)


def fitted_params(relation, names):
    """The parameters (a float array) of a one-row fit table when its fit_status is 'fitted', else None."""
    status, *params = relation.project(", ".join(["fit_status", *names])).fetchall()[0]
    return fitted(status, params)


def model(dbt, session):
    dbt.config(materialized="table")
    bgnbd = fitted_params(dbt.ref("model_bgnbd_params"), ["r", "alpha", "a", "b"])
    gamma_gamma = fitted_params(dbt.ref("model_gamma_gamma_params"), ["p", "q", "gamma"])
    unit_days = float(dbt.ref("model_bgnbd_params").project("time_unit_days").fetchall()[0][0])
    summary = dbt.ref("customer_purchase_summary").project(  # noqa: F841 (read by the queries below)
        "one_id, frequency, recency, age, coalesce(repeat_mean_amount, 0) as repeat_mean_amount"
    )
    # Scored once per distinct (frequency, recency, age, mean amount), then joined back to people.
    groups = session.sql("select distinct frequency, recency, age, repeat_mean_amount from summary").fetchnumpy()
    months = int(dbt.config.get("horizon_months"))
    rate = float(dbt.config.get("monthly_discount_rate"))
    keys = ("frequency", "recency", "age", "repeat_mean_amount")
    scored = {name: groups[name] for name in keys}
    scored |= clv_scores(bgnbd, gamma_gamma, unit_days, months, rate, *(groups[name].astype(float) for name in keys))
    values = ", ".join(f"nullif(scored.{name}, 'nan') as {name}" for name in SCORE_RANGES)
    return session.sql(
        f"select summary.one_id, {values}"
        " from summary inner join scored using (frequency, recency, age, repeat_mean_amount)"
    )
