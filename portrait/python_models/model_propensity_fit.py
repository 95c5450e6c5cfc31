"""Purchase propensity (TA scoring): the probability that a person makes a paid order in the next
var propensity_horizon_days days. A logistic regression (scikit-learn) learns from the tag
features at the training snapshot (int_propensity_features: point in time, labelled by the
purchases after it); a deterministic share of people (by a hash of one_id) is held out to
measure it. One row: status, data gates, holdout AUC, Brier score, calibration by decile of the
prediction, and the fitted model (features, fill values, scaling, coefficients) as JSON, which
customer_purchase_propensity applies at as_of.

Gates: enough positives and negatives, enough history before the snapshot, both classes among
the training and the held-out people; after the fit, the solver converged, coefficients and
intercept finite, holdout predictions in [0, 1] and a finite AUC and Brier score. When one fails,
fit_status is "not fitted: <reasons>", fitted_model is empty (metrics are kept when the fit ran)
and customer_purchase_propensity leaves the score null.
"""

import hashlib
import json
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score

from portrait.fit_checks import range_problems


def transform(matrix, fill, mean, scale):
    """Nulls filled with the training median, signed log1p against skew, then standardised."""
    filled = np.where(np.isnan(matrix), fill, matrix)
    return (np.sign(filled) * np.log1p(np.abs(filled)) - mean) / scale


def is_holdout(one_id: str, share: float) -> bool:
    return int(hashlib.md5(one_id.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


def calibration(predicted, actual, bins=10):
    """Mean prediction and observed rate per decile of the prediction."""
    order = np.argsort(predicted, kind="stable")
    return [
        {
            "mean_predicted": float(predicted[part].mean()),
            "observed_rate": float(actual[part].mean()),
            "people": len(part),
        }
        for part in np.array_split(order, bins)
        if len(part)
    ]


def split_problems(labels, holdout):
    """Reasons the training/holdout split cannot be fitted and measured: each side needs both classes."""
    return [
        f"no {kind} among the {side} people"
        for side, part in (("training", ~holdout), ("held-out", holdout))
        for kind, present in (("positives", labels[part].any()), ("negatives", (~labels[part]).any()))
        if not present
    ]


def fit(features, labels, holdout, max_iter=1000):
    """(fitted model as a dict of lists, holdout metrics, holdout predictions, whether the solver converged)."""
    train, test = ~holdout, holdout
    with warnings.catch_warnings():  # a feature null for everyone is filled with 0
        warnings.simplefilter("ignore", RuntimeWarning)
        fill = np.nan_to_num(np.nanmedian(features[train], axis=0))
    logged = transform(features[train], fill, 0.0, 1.0)
    mean, scale = logged.mean(axis=0), logged.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    classifier = LogisticRegression(max_iter=max_iter)
    with warnings.catch_warnings():  # not converging is a validity problem, reported in the status
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(transform(features[train], fill, mean, scale), labels[train])
    predicted = classifier.predict_proba(transform(features[test], fill, mean, scale))[:, 1]
    fitted = {"fill": fill.tolist(), "mean": mean.tolist(), "scale": scale.tolist()}
    fitted |= {"coefficients": classifier.coef_[0].tolist(), "intercept": float(classifier.intercept_[0])}
    metrics = {
        "holdout_auc": float(roc_auc_score(labels[test], predicted)),
        "holdout_brier": float(brier_score_loss(labels[test], predicted)),
        "holdout_base_rate": float(labels[test].mean()),
        "calibration": calibration(predicted, labels[test].astype(float)),
    }
    return fitted, metrics, predicted, bool(classifier.n_iter_.max() < max_iter)


def validity_problems(fitted, metrics, predicted, converged):
    """Every reason a fitted model cannot be used (empty when it can)."""
    problems = [] if converged else ["the solver did not converge"]
    problems += range_problems("coefficient", [*fitted["coefficients"], fitted["intercept"]])
    problems += range_problems("holdout prediction", predicted, 0.0, 1.0)
    problems += range_problems("holdout AUC and Brier score", [metrics["holdout_auc"], metrics["holdout_brier"]], 0, 1)
    return problems


COLUMNS = (
    "fit_status", "positives", "negatives", "history_days", "holdout_auc", "holdout_brier", "holdout_base_rate",
    "calibration", "features", "fitted_model", "horizon_days",
)  # fmt: skip


def fit_model(one_ids, labels, features, names, history_days, settings) -> dict:
    """The model's row (COLUMNS; calibration, features and fitted_model as JSON text, NaN for a metric
    not computed) from the training people in one_id order: their one_ids, labels (bool array),
    features (people x names float matrix, NaN for null), the days of order history before the
    snapshot, and settings {holdout_share, min_positives, min_negatives, min_history_days,
    horizon_days} (the model's config)."""
    positives, negatives = int(labels.sum()), int((~labels).sum())
    gates = {
        "positives": (positives, int(settings["min_positives"])),
        "negatives": (negatives, int(settings["min_negatives"])),
        "history_days": (history_days, int(settings["min_history_days"])),
    }
    failed = [f"{name} {value} < {minimum}" for name, (value, minimum) in gates.items() if value < minimum]
    if not names:
        failed.append("no feature tags")
    fitted, metrics = {}, {}
    if not failed:
        share = float(settings["holdout_share"])
        holdout = np.array([is_holdout(one_id, share) for one_id in one_ids], dtype=bool)
        failed += split_problems(labels, holdout)
    if not failed:
        fitted, metrics, predicted, converged = fit(features, labels, holdout)
        failed += validity_problems(fitted, metrics, predicted, converged)
    if failed:
        fitted = {}  # never applied
    return {
        "fit_status": "not fitted: " + ", ".join(failed) if failed else "fitted",
        "positives": positives,
        "negatives": negatives,
        "history_days": history_days,
        "holdout_auc": metrics.get("holdout_auc", np.nan),
        "holdout_brier": metrics.get("holdout_brier", np.nan),
        "holdout_base_rate": metrics.get("holdout_base_rate", np.nan),
        "calibration": json.dumps(metrics.get("calibration", [])),
        "features": json.dumps(list(names)),
        "fitted_model": json.dumps(fitted),
        "horizon_days": int(settings["horizon_days"]),
    }
