"""The hand-off between builders and the writer: one Frame per raw source and chunk of people."""

from dataclasses import dataclass

import numpy as np

ALWAYS = np.iinfo(np.int64).min + 1  # `at` of rows that exist from the beginning (catalogue, stores)
BEGINNING = np.iinfo(np.int64).min  # lower end of a window that starts at the beginning


class GenerateError(ValueError):
    """Arguments that cannot give a data set (the message says why, in one line)."""


@dataclass
class Frame:
    """Rows of one source before noise, for one chunk of people (or for the whole catalogue).

    arrays: numeric numpy columns (all the same length)
    exprs:  output column -> DuckDB SQL expression over ``arrays`` (must yield VARCHAR)
    person: chunk-local person index per row (-1: the row belongs to nobody)
    file:   index into the source's file list (``sources.SPECS[source].files``)
    order:  sort key of the row inside its file (within a block of people)
    uid:    the row's identity in the simulated world, unique within the source (int64); its noise
            is hashed from it, so a row is the same whichever other rows are written with it
    at:     epoch seconds (China local) from which the row exists: it is written when the day
            observed covers `at` (ALWAYS: from the beginning)
    """

    source: str
    arrays: dict
    exprs: dict
    person: np.ndarray
    file: np.ndarray
    order: np.ndarray
    uid: np.ndarray
    at: np.ndarray

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
