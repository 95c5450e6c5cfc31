"""Spark adapter of model_propensity_fit (models/scores/spark/model_propensity_fit.sql): params
{"features": names, "history_days", and the settings holdout_share, min_positives, min_negatives,
min_history_days, horizon_days}; rows (one_id, purchased_after, the features as doubles) of the
training people in one_id order; writes the one row of COLUMNS
(portrait/python_models/model_propensity_fit.py)."""

from __future__ import annotations

import numpy as np

from portrait.python_models.model_propensity_fit import COLUMNS, fit_model
from portrait.spark_models import boolean, number, read_input, write_rows


def run(params: dict, rows) -> list[tuple]:
    names = list(params.get("features", []))
    one_ids, labels, values = [], [], []
    for fields in rows:
        one_ids.append(fields[0])
        labels.append(bool(boolean(fields[1])))
        values.append([number(field) for field in fields[2 : 2 + len(names)]])
    features = np.array(values, dtype=float).reshape(len(one_ids), len(names))
    features = np.ascontiguousarray(features)
    one_ids = np.array(one_ids, dtype=object)
    fitted = fit_model(
        one_ids, np.array(labels, dtype=bool), features, names, int(params.get("history_days") or 0), params
    )
    return [tuple(fitted[name] for name in COLUMNS)]


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
