"""Spark adapter of customer_clv (models/scores/spark/customer_clv.sql): params {"bgnbd": {status,
params}, "gamma_gamma": {status, params}, time_unit_days, horizon_months, monthly_discount_rate};
rows (one_id, frequency, recency, age, repeat_mean_amount: 0 without repeats); writes (one_id,
the scores of SCORE_RANGES) per row, scored in batches (portrait/python_models/customer_clv.py;
the scores are element-wise, so batches give the DuckDB model's values)."""

from __future__ import annotations

from itertools import islice

import numpy as np

from portrait.python_models.customer_clv import SCORE_RANGES, clv_scores, fitted
from portrait.spark_models import number, read_input, write_rows

BATCH_ROWS = 50_000


def _fit(params: dict, name: str):
    fit = params.get(name) or {}
    return fitted(fit.get("status"), [np.nan if value is None else value for value in fit.get("params", [])])


def run(params: dict, rows):
    bgnbd, gamma_gamma = _fit(params, "bgnbd"), _fit(params, "gamma_gamma")
    settings = (
        float(params["time_unit_days"]), int(params["horizon_months"]), float(params["monthly_discount_rate"]),
    )  # fmt: skip
    rows = iter(rows)
    while batch := list(islice(rows, BATCH_ROWS)):
        summary = np.array([[number(field) for field in fields[1:5]] for fields in batch], dtype=float)
        columns = [np.ascontiguousarray(column) for column in summary.reshape(-1, 4).T]  # as DuckDB's arrays
        scores = clv_scores(bgnbd, gamma_gamma, *settings, *columns)
        columns = [scores[name] for name in SCORE_RANGES]
        for index, fields in enumerate(batch):
            yield (fields[0], *(float(column[index]) for column in columns))


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
