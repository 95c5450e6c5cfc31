"""Purchase propensity at as_of: the fitted model of model_propensity_fit applied to every
person's tag features at as_of (the scoring snapshot of int_propensity_features): one row per
person, purchase_propensity_30d a probability in [0, 1], null when the model was not fitted or the
probability is not finite.

The computation is portrait/python_models/customer_purchase_propensity.py, shared with the Spark
twin models/scores/spark/customer_purchase_propensity.sql."""

import json

import numpy as np

from portrait.python_models.customer_purchase_propensity import probabilities, scores, transform  # noqa: F401 (tests)


def model(dbt, session):
    dbt.config(materialized="table")
    status, features, fitted = (
        dbt.ref("model_propensity_fit").project("fit_status, features, fitted_model").fetchall()[0]
    )
    names = json.loads(features)
    tags = dbt.ref("int_propensity_features").filter("purpose = 'scoring'")
    data = tags.project(", ".join(["one_id", *[f"cast({name} as double) as {name}" for name in names]])).fetchnumpy()
    columns = [np.ma.filled(data[name].astype(float), np.nan) for name in names]
    matrix = np.column_stack(columns) if columns else np.zeros((len(data["one_id"]), 0))
    probability = scores(matrix, status, fitted)
    scored = {"one_id": data["one_id"], "purchase_propensity_30d": probability}  # noqa: F841 (read below)
    return session.sql("select one_id, nullif(purchase_propensity_30d, 'nan') as purchase_propensity_30d from scored")
