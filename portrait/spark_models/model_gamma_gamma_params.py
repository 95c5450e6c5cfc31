"""Spark adapter of model_gamma_gamma_params (models/scores/spark/model_gamma_gamma_params.sql):
rows (frequency, repeat_mean_amount) of the repeat buyers with a positive amount in that order;
writes the one row of COLUMNS (portrait/python_models/model_gamma_gamma_params.py)."""

from __future__ import annotations

import numpy as np

from portrait.python_models.model_gamma_gamma_params import COLUMNS, fit_params
from portrait.spark_models import number, read_input, write_rows


def run(params: dict, rows) -> list[tuple]:
    data = np.array([[number(field) for field in fields] for fields in rows], dtype=float).reshape(-1, 2)
    fitted = fit_params(*(np.ascontiguousarray(column) for column in data.T))
    return [tuple(fitted[name] for name in COLUMNS)]


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
