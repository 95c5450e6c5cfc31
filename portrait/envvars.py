"""Environment variables set for the duration of a block (dbt reads its profile settings from them)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def temporary_environment(values: dict[str, str]) -> Iterator[None]:
    """Sets the environment variables in `values` for the block and restores the previous values
    (or their absence) afterwards, also when the block raises."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
