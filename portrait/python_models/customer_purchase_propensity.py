"""Purchase propensity at as_of: the fitted model of model_propensity_fit applied to every
person's tag features at as_of (the scoring snapshot of int_propensity_features): one row per
person, purchase_propensity_30d a probability in [0, 1]. Null for everyone when the model was not
fitted (its fit_status says why), and null for a person whose probability is not finite."""

import json

import numpy as np


def transform(matrix, fill, mean, scale):
    """As in model_propensity_fit (not imported: scoring does not need scikit-learn): nulls filled,
    signed log1p, standardised."""
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


def scores(matrix, status, fitted_model):
    """purchase_propensity_30d (NaN for null) of people x features (float matrix, NaN for null) under
    the fit of model_propensity_fit (its fit_status and fitted_model JSON text)."""
    fitted = json.loads(fitted_model) if fitted_model else {}
    if status == "fitted" and fitted:
        return probabilities(matrix, fitted)
    return np.full(len(matrix), np.nan)
