"""Gamma-Gamma spend model (Fader & Hardie 2013) fitted by maximum likelihood on the mean value of
each customer's repeat transactions as of the as_of day: one row with p, q, gamma, their standard
errors, the log-likelihood, the sample and the fit's status.

The computation, its validity gates and their description are in
portrait/python_models/model_gamma_gamma_params.py, shared with the Spark twin
models/scores/spark/model_gamma_gamma_params.sql; this file reads the repeat buyers in one fixed
order and writes the row.
"""

import numpy as np

from portrait.python_models.model_gamma_gamma_params import (  # noqa: F401 (tests read them here)
    BOUNDS,
    COLUMNS,
    NAMES,
    fit,
    fit_params,
    log_likelihood,
    validity_problems,
)


def model(dbt, session):
    dbt.config(materialized="table")
    summary = (
        dbt.ref("customer_purchase_summary")
        .filter("frequency > 0 and repeat_mean_amount > 0")
        .project("frequency, repeat_mean_amount")
        .order("frequency, repeat_mean_amount")  # one order whatever the row order: the same data, the same fit
        .fetchnumpy()
    )
    fitted = fit_params(summary["frequency"].astype(float), summary["repeat_mean_amount"].astype(float))
    row = {name: np.array([fitted[name]], dtype=object if name == "fit_status" else None) for name in COLUMNS}
    row["as_of"] = np.array([dbt.config.get("as_of")], dtype=object)  # noqa: F841 (row is read by the query below)
    numbers = [name for name in row if name not in ("repeat_buyers", "fit_status", "as_of")]
    return session.sql(
        "select " + ", ".join(f"nullif({name}, 'nan') as {name}" for name in numbers) + ", repeat_buyers,"
        " cast(fit_status as varchar) as fit_status, cast(as_of as date) as as_of, current_timestamp as fitted_at"
        " from row"
    )
