"""Purchase propensity at as_of: the fitted model of model_propensity_fit applied to every
person's tag features at as_of (the scoring snapshot of int_propensity_features). Null for
everyone when the model was not fitted (its fit_status says why)."""

import json

import numpy as np


def transform(matrix, fill, mean, scale):
    """As in model_propensity_fit: nulls filled, signed log1p, standardised."""
    filled = np.where(np.isnan(matrix), fill, matrix)
    return (np.sign(filled) * np.log1p(np.abs(filled)) - mean) / scale


def model(dbt, session):
    dbt.config(materialized="table")
    status, features, fitted = (
        dbt.ref("model_propensity_fit").project("fit_status, features, fitted_model").fetchall()[0]
    )
    names, fitted = json.loads(features), json.loads(fitted)
    tags = dbt.ref("int_propensity_features").filter("purpose = 'scoring'")
    data = tags.project(", ".join(["one_id", *[f"cast({name} as double) as {name}" for name in names]])).fetchnumpy()
    probability = np.full(len(data["one_id"]), np.nan)
    if status == "fitted":
        matrix = np.column_stack([np.ma.filled(data[name].astype(float), np.nan) for name in names])
        scaled = transform(matrix, *(np.array(fitted[key]) for key in ("fill", "mean", "scale")))
        probability = 1 / (1 + np.exp(-(scaled @ np.array(fitted["coefficients"]) + fitted["intercept"])))
    scores = {"one_id": data["one_id"], "purchase_propensity_30d": probability}  # noqa: F841 (read below)
    return session.sql("select * from scores")
