"""Spark adapter of model_bgnbd_params (models/scores/spark/model_bgnbd_params.sql): params
{"time_unit_days"}; rows (frequency, recency, age, customers) of the distinct summaries in
(frequency, recency, age) order; writes the one row of COLUMNS
(portrait/python_models/model_bgnbd_params.py)."""

from __future__ import annotations

import numpy as np

from portrait.python_models.model_bgnbd_params import COLUMNS, fit_params
from portrait.spark_models import number, read_input, write_rows


def run(params: dict, rows) -> list[tuple]:
    data = np.array([[number(field) for field in fields] for fields in rows], dtype=float).reshape(-1, 4)
    fitted = fit_params(*(np.ascontiguousarray(column) for column in data.T), int(params["time_unit_days"]))
    return [tuple(fitted[name] for name in COLUMNS)]


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
