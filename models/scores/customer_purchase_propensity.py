"""Purchase propensity at as_of: the fitted model of model_propensity_fit applied to every
person's tag features at as_of (the scoring snapshot of int_propensity_features): one row per
person, purchase_propensity_30d a probability in [0, 1]. Null for everyone when the model was not
fitted (its fit_status says why), and null for a person whose probability is not finite."""

import json

import numpy as np


def transform(matrix, fill, mean, scale):
    """As in model_propensity_fit: nulls filled, signed log1p, standardised."""
    filled = np.where(np.isnan(matrix), fill, matrix)
    return (np.sign(filled) * np.log1p(np.abs(filled)) - mean) / scale


def probabilities(matrix, fitted):
    """Logistic probabilities of the fitted model (dict of lists) for a people x features matrix;
    NaN where the result is not finite or outside [0, 1]."""
    scaled = transform(matrix, *(np.array(fitted[key]) for key in ("fill", "mean", "scale")))
    with np.errstate(all="ignore"):  # exp overflow gives 0 or 1, both valid; NaN is nulled below
        probability = 1 / (1 + np.exp(-(scaled @ np.array(fitted["coefficients"]) + fitted["intercept"])))
    valid = np.isfinite(probability) & (probability >= 0) & (probability <= 1)
    return np.where(valid, probability, np.nan)


def model(dbt, session):
    dbt.config(materialized="table")
    status, features, fitted = (
        dbt.ref("model_propensity_fit").project("fit_status, features, fitted_model").fetchall()[0]
    )
    names, fitted = json.loads(features), json.loads(fitted)
    tags = dbt.ref("int_propensity_features").filter("purpose = 'scoring'")
    data = tags.project(", ".join(["one_id", *[f"cast({name} as double) as {name}" for name in names]])).fetchnumpy()
    probability = np.full(len(data["one_id"]), np.nan)
    if status == "fitted" and fitted:
        matrix = np.column_stack([np.ma.filled(data[name].astype(float), np.nan) for name in names])
        probability = probabilities(matrix, fitted)
    scores = {"one_id": data["one_id"], "purchase_propensity_30d": probability}  # noqa: F841 (read below)
    return session.sql("select one_id, nullif(purchase_propensity_30d, 'nan') as purchase_propensity_30d from scores")
