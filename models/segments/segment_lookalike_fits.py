"""Lookalike segments: for each active `type: lookalike` segment, a class-balanced logistic
regression (scikit-learn) of the seed segment's members against everyone else on the customer tags
(number and boolean tags of internal sensitivity, less those the seed's rule reads); members are
the top `size` people outside the seed, or everyone scoring at least `min_score`. One row per
lookalike segment: status, message, sizes, holdout AUC, members and scores as lists.

The computation, its gates and their description are in
portrait/python_models/segment_lookalike_fits.py, shared with the Spark twin
models/segments/spark/segment_lookalike_fits.sql; this file reads the profile in one_id order and
writes the rows.
"""

import json

import numpy as np

from portrait.python_models.segment_lookalike_fits import (  # noqa: F401 (tests call them here)
    FEATURE_TYPES,
    fit_and_score,
    is_holdout,
    lookalike,
    lookalike_fits,
    split_problems,
    transform,
)


def _nan_if_none(value):
    return np.nan if value is None else value


def model(dbt, session):
    min_seed = int(dbt.config.get("min_seed"))
    definitions = dbt.ref("segment_definitions")
    lookalikes = definitions.filter("segment_type = 'lookalike' and status = 'active'")
    lookalikes = lookalikes.project("segment_code, cast(lookalike as varchar)").fetchall()
    reads = dict(definitions.project("segment_code, reads_tags").fetchall())
    usable = [
        code
        for (code,) in dbt.ref("tag_definitions")
        .filter(
            f"entity = 'customer' and status = 'active' and sensitivity = 'internal' and value_type in {FEATURE_TYPES}"
        )
        .project("tag_code")
        .order("tag_code")
        .fetchall()
    ]
    seeds = {json.loads(spec_json)["seed"] for _, spec_json in lookalikes}
    base = dbt.ref("segment_base_members")
    seed_members = {
        seed: {one_id for (one_id,) in base.filter(f"segment_code = '{seed}'").project("one_id").fetchall()}
        for seed in seeds
    }
    profile = dbt.ref("customer_profile").order("one_id")
    rows = []
    if lookalikes:
        data = profile.project(", ".join(["one_id", *[f"cast({tag} as double) as {tag}" for tag in usable]]))
        data = data.fetchnumpy()
        columns = {tag: np.ma.filled(data[tag].astype(float), np.nan) for tag in usable}
        one_ids = np.asarray(data["one_id"], dtype=object)
        rows = lookalike_fits(lookalikes, reads, usable, one_ids, columns, seed_members, min_seed)
    fits = {  # noqa: F841 (read by the query below)
        "segment_code": np.array([r["segment_code"] for r in rows], dtype=object),
        "seed_segment": np.array([r["seed_segment"] for r in rows], dtype=object),
        "status": np.array([r["status"] for r in rows], dtype=object),
        "message": np.array([r["message"] for r in rows], dtype=object),
        "seed_size": np.array([r["seed_size"] for r in rows], dtype=np.int64),
        "population": np.array([r["population"] for r in rows], dtype=np.int64),
        "features": np.array([json.dumps(r["features"]) for r in rows], dtype=object),
        "holdout_auc": np.array([_nan_if_none(r["holdout_auc"]) for r in rows], dtype=float),
        "min_member_score": np.array([_nan_if_none(r["min_member_score"]) for r in rows], dtype=float),
        "members": np.array([json.dumps(r["members"]) for r in rows], dtype=object),
        "scores": np.array([json.dumps(r["scores"]) for r in rows], dtype=object),
    }
    return session.sql(
        "select cast(segment_code as varchar) as segment_code, cast(seed_segment as varchar) as seed_segment,"
        " cast(status as varchar) as status, cast(message as varchar) as message, seed_size, population,"
        " cast(cast(features as json) as varchar[]) as features, nullif(holdout_auc, 'nan') as holdout_auc,"
        " nullif(min_member_score, 'nan') as min_member_score,"
        " cast(cast(members as json) as varchar[]) as members, cast(cast(scores as json) as double[]) as scores"
        " from fits"
    )
