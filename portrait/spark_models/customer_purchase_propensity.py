"""Spark adapter of customer_purchase_propensity (models/scores/spark/customer_purchase_propensity.sql):
params {"fit_status", "features": names, "fitted_model": JSON text} of model_propensity_fit; rows
(one_id, the features as doubles) of the scoring snapshot; writes (one_id,
purchase_propensity_30d) per row, scored in batches (row by row the same values as the DuckDB
model's one matrix; portrait/python_models/customer_purchase_propensity.py)."""

from __future__ import annotations

from itertools import islice

import numpy as np

from portrait.python_models.customer_purchase_propensity import scores
from portrait.spark_models import number, read_input, write_rows

BATCH_ROWS = 50_000


def run(params: dict, rows):
    names = list(params.get("features") or [])
    rows = iter(rows)
    while batch := list(islice(rows, BATCH_ROWS)):
        matrix = np.array([[number(field) for field in fields[1 : 1 + len(names)]] for fields in batch], dtype=float)
        matrix = matrix.reshape(len(batch), len(names))
        probability = scores(matrix, params.get("fit_status"), params.get("fitted_model"))
        for fields, value in zip(batch, probability, strict=True):
            yield fields[0], float(value)


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
