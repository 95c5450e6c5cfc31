"""Lookalike segments: for each active `type: lookalike` segment, a logistic regression
(scikit-learn) learns to tell the seed segment's members from everyone else on the customer tags
(number and boolean tags of internal sensitivity, less the tags the seed's own rule reads, which
would only rediscover the rule), and scores everyone outside the seed. The members are the top
`size` people, or everyone scoring at least `min_score` (the probability of the class-balanced
model). 30% of people (by a hash of one_id) are held out to report the AUC.

Gates: a seed of at least var lookalike_min_seed members, at least one feature tag, seed members
and other people among both the training and the held-out people; after the fit, the solver
converged, coefficients finite, every score in [0, 1] and the AUC finite. When one fails the
lookalike is refused: status 'refused', no members, and the message says why.

One row per lookalike segment: status, message, sizes, holdout AUC, and the members with their
scores as lists (segment_members unnests them).
"""

import hashlib
import json
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from portrait.fit_checks import range_problems

HOLDOUT_SHARE = 0.3
MAX_ITER = 1000
FEATURE_TYPES = ("number", "boolean")


def transform(matrix, fill, mean, scale):
    """Nulls filled with the training median, signed log1p against skew, then standardised."""
    filled = np.where(np.isnan(matrix), fill, matrix)
    return (np.sign(filled) * np.log1p(np.abs(filled)) - mean) / scale


def is_holdout(one_id: str) -> bool:
    return int(hashlib.md5(f"{one_id}:lookalike".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < HOLDOUT_SHARE


def fit_and_score(matrix, is_seed, holdout):
    """Fit on the training people; (AUC on the held-out ones, scores of everyone, the reasons the
    fit cannot be used: empty when it can)."""
    train = ~holdout
    with warnings.catch_warnings():  # a feature null for everyone is filled with 0
        warnings.simplefilter("ignore", RuntimeWarning)
        fill = np.nan_to_num(np.nanmedian(matrix[train], axis=0))
    logged = transform(matrix[train], fill, 0.0, 1.0)
    mean, scale = logged.mean(axis=0), logged.std(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    classifier = LogisticRegression(max_iter=MAX_ITER, class_weight="balanced")
    with warnings.catch_warnings():  # not converging is a reason to refuse, given in the message
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(transform(matrix[train], fill, mean, scale), is_seed[train])
    scores = classifier.predict_proba(transform(matrix, fill, mean, scale))[:, 1]
    problems = [] if classifier.n_iter_.max() < MAX_ITER else ["the solver did not converge"]
    problems += range_problems("coefficient", [*classifier.coef_[0], *classifier.intercept_])
    problems += range_problems("score", scores, 0.0, 1.0)
    auc = roc_auc_score(is_seed[holdout], scores[holdout]) if not problems else np.nan
    problems += range_problems("holdout AUC", [auc], 0.0, 1.0) if not problems else []
    return float(auc), scores, problems


def split_problems(is_seed, holdout):
    """Reasons the training/holdout split cannot be fitted and measured: each side needs seed
    members and other people."""
    return [
        f"no {kind} among the {side} people"
        for side, part in (("training", ~holdout), ("held-out", holdout))
        for kind, present in (("seed members", is_seed[part].any()), ("other people", (~is_seed[part]).any()))
        if not present
    ]


def refused(row, reasons):
    return row | {"status": "refused", "message": "refused: " + "; ".join(reasons)}


def lookalike(code, spec, seed_ids, one_ids, matrix, features, min_seed):
    row = {"segment_code": code, "seed_segment": spec["seed"], "seed_size": len(seed_ids)}
    row |= {"population": len(one_ids) - len(seed_ids), "features": features, "holdout_auc": None}
    row |= {"members": [], "scores": [], "min_member_score": None}
    if len(seed_ids) < min_seed:
        reason = f"seed segment {spec['seed']} has {len(seed_ids)} members; "
        return refused(row, [reason + f"a lookalike needs at least {min_seed} (var lookalike_min_seed)"])
    if not features:
        return refused(row, ["no number or boolean tag of internal sensitivity to learn from"])
    is_seed = np.array([one_id in seed_ids for one_id in one_ids], dtype=bool)
    holdout = np.array([is_holdout(one_id) for one_id in one_ids], dtype=bool)
    problems = split_problems(is_seed, holdout)
    if problems:
        return refused(row, problems)
    auc, scores, problems = fit_and_score(matrix, is_seed, holdout)
    if problems:
        return refused(row, problems)
    candidates = np.flatnonzero(~is_seed)
    ranked = candidates[np.argsort(-scores[candidates], kind="stable")]
    if "size" in spec:
        chosen = ranked[: int(spec["size"])]
    else:
        chosen = ranked[scores[ranked] >= float(spec["min_score"])]
    row |= {"holdout_auc": auc, "members": one_ids[chosen].tolist(), "scores": scores[chosen].tolist()}
    row |= {"min_member_score": float(scores[chosen].min()) if len(chosen) else None}
    return row | {"status": "fitted", "message": f"fitted on {len(seed_ids)} seed members, holdout AUC {auc:.3f}"}


def lookalike_fits(lookalikes, reads, usable, one_ids, columns, seed_members, min_seed) -> list[dict]:
    """The model's rows, one per lookalike segment: lookalikes [(segment_code, lookalike spec as JSON
    text)]; reads {segment_code: tags its rule reads}; usable: the feature tags in tag_code order;
    one_ids (object array, one_id order) and columns {tag: float array, NaN for null} of
    customer_profile; seed_members {segment_code: set of its base members' one_ids}. Each fit's
    matrix is stacked afresh from its tags' columns."""
    rows = []
    for code, spec_json in lookalikes:
        spec = json.loads(spec_json)
        skipped = set(reads.get(spec["seed"]) or [])
        features = [tag for tag in usable if tag not in skipped]
        stacked = [columns[tag] for tag in features]
        matrix = np.column_stack(stacked) if stacked else np.zeros((len(one_ids), 0))
        seed_ids = seed_members.get(spec["seed"], set())
        rows.append(lookalike(code, spec, seed_ids, one_ids, matrix, features, min_seed))
    return rows
