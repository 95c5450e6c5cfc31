"""Purchase propensity (TA scoring): a logistic regression (scikit-learn) of a paid order in the
next var propensity_horizon_days days on the tag features at the training snapshot
(int_propensity_features), with a deterministic holdout; one row: status, data gates, holdout
metrics, calibration and the fitted model as JSON, which customer_purchase_propensity applies.

The computation, its gates and their description are in
portrait/python_models/model_propensity_fit.py, shared with the Spark twin
models/scores/spark/model_propensity_fit.sql; this file reads the training people in one_id order
and writes the row.
"""

import numpy as np

from portrait.python_models.model_propensity_fit import (  # noqa: F401 (tests call them here)
    COLUMNS,
    calibration,
    fit,
    fit_model,
    is_holdout,
    split_problems,
    transform,
    validity_problems,
)


def model(dbt, session):
    dbt.config(materialized="table")
    # one order whatever the row order: the same data, the same fit and holdout split
    examples = dbt.ref("int_propensity_features").filter("purpose = 'training'").order("one_id")
    names = [c for c in examples.columns if c not in ("purpose", "snapshot_date", "one_id", "purchased_after")]
    data = examples.project(
        ", ".join(["one_id", "purchased_after", *[f"cast({name} as double) as {name}" for name in names]])
    ).fetchnumpy()
    labels = data["purchased_after"].astype(bool)
    columns = [np.ma.filled(data[name].astype(float), np.nan) for name in names]  # nulls as NaN
    features = np.column_stack(columns) if names else np.zeros((len(labels), 0))
    first_order = dbt.ref("customer_orders").aggregate("min(order_date)").fetchall()[0][0]
    snapshot = examples.limit(1).project("snapshot_date").fetchall()
    history_days = (snapshot[0][0] - first_order).days if snapshot and first_order else 0
    settings = {  # dbt reads the names of dbt.config.get() from the source: literals only
        "holdout_share": dbt.config.get("holdout_share"),
        "min_positives": dbt.config.get("min_positives"),
        "min_negatives": dbt.config.get("min_negatives"),
        "min_history_days": dbt.config.get("min_history_days"),
        "horizon_days": dbt.config.get("horizon_days"),
    }
    fitted = fit_model(data["one_id"], labels, features, names, history_days, settings)
    row = {  # noqa: F841 (read by the query below)
        **{name: np.array([fitted[name]], dtype=object if isinstance(fitted[name], str) else None) for name in COLUMNS},
        "as_of": np.array([dbt.config.get("as_of")], dtype=object),
    }
    return session.sql(
        "select * replace (cast(as_of as date) as as_of, cast(calibration as json) as calibration,"
        " cast(features as json) as features, cast(fitted_model as json) as fitted_model),"
        " current_timestamp as fitted_at from row"
    )
