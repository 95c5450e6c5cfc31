"""BG/NBD (Fader, Hardie & Lee 2005) fitted by maximum likelihood on the repeat-purchase summary as
of the as_of day: one row with r, alpha (in the time unit of var clv_time_unit_days), a, b, their
standard errors, the log-likelihood, the sample and the fit's status.

The computation, its validity gates and their description are in
portrait/python_models/model_bgnbd_params.py, shared with the Spark twin
models/scores/spark/model_bgnbd_params.sql; this file reads the summaries in one fixed order and
writes the row.
"""

import numpy as np

from portrait.python_models.model_bgnbd_params import (  # noqa: F401 (tests read them here)
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
    grouped = (
        dbt.ref("customer_purchase_summary")
        .aggregate("frequency, recency, age, count(*) as customers", "frequency, recency, age")
        .order("frequency, recency, age")  # one order whatever the row order: the same data, the same fit
        .fetchnumpy()
    )
    frequency = grouped["frequency"].astype(float)
    recency, age = grouped["recency"].astype(float), grouped["age"].astype(float)
    weights = grouped["customers"].astype(float)
    fitted = fit_params(frequency, recency, age, weights, int(dbt.config.get("time_unit_days")))
    row = {name: np.array([fitted[name]], dtype=object if name == "fit_status" else None) for name in COLUMNS}
    row["as_of"] = np.array([dbt.config.get("as_of")], dtype=object)  # noqa: F841 (row is read by the query below)
    counts = ("buyers", "repeat_buyers", "distinct_summaries", "time_unit_days")
    numbers = [name for name in row if name not in (*counts, "fit_status", "as_of")]
    return session.sql(
        "select " + ", ".join(f"nullif({name}, 'nan') as {name}" for name in numbers) + ", " + ", ".join(counts) + ","
        " cast(fit_status as varchar) as fit_status, cast(as_of as date) as as_of, current_timestamp as fitted_at"
        " from row"
    )
