"""The hand-off between builders and the writer: one Frame per raw source."""

from dataclasses import dataclass

import numpy as np


@dataclass
class Frame:
    """Rows of one source before noise.

    arrays: numeric numpy columns (all the same length)
    exprs:  output column -> DuckDB SQL expression over ``arrays`` (must yield VARCHAR)
    person: 0-based person index per row (-1: the row belongs to nobody)
    file:   index into the source's file list (``sources.SPECS[source].files``)
    order:  sort key of the row inside its file
    """

    source: str
    arrays: dict
    exprs: dict
    person: np.ndarray
    file: np.ndarray
    order: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


def rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based position of each row within runs of equal (sorted) group keys."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    start = np.r_[True, groups[1:] != groups[:-1]]
    first = np.flatnonzero(start)
    run = np.cumsum(start) - 1
    return np.arange(n) - first[run]
