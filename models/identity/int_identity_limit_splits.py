"""Components that would give one person more identifiers of a type than `max_per_person` allows,
re-built edge by edge from the strongest evidence down (type priority, then earliest seen): an edge
that would break a limit is left out, or, for a type listed in var `identifier_reassignment`, moves
the identifier to its claimant from the claim on. One row per node and owner period.

The computation (and its full description) is portrait/python_models/int_identity_limit_splits.py,
shared with the Spark twin models/identity/spark/int_identity_limit_splits.sql; this file reads the
inputs in strength order and writes the rows."""

import numpy as np

from portrait.python_models.int_identity_limit_splits import (
    COLUMNS,
    limit_splits,
    split_by_limits,  # noqa: F401 (tests call it here)
)

EDGE_COLUMNS = (
    "node_a", "type_a", "reassign_after_days_a", "node_b", "type_b", "reassign_after_days_b",
    "first_seen_at", "last_seen_at",
)  # fmt: skip


def _text(values) -> np.ndarray:
    return np.array([None if value is None else str(value) for value in values], dtype=object)


def model(dbt, session):
    dbt.config(materialized="table")
    types = dbt.ref("identifier_types").project("identifier_type, max_per_person, priority").fetchall()
    relation = dbt.ref("int_identity_over_limit_edges")
    rows = relation.order("strength_rank").fetchall()
    column = {name: index for index, name in enumerate(relation.columns)}
    edges = [tuple(row[column[name]] for name in EDGE_COLUMNS) for row in rows]
    result = limit_splits(types, edges)
    splits = {name: _text(row[index] for row in result) for index, name in enumerate(COLUMNS)}  # noqa: F841
    return session.sql(
        """
        select
            node_id::varchar as node_id,
            cluster_id::varchar as cluster_id,
            valid_from::timestamp as valid_from,
            valid_to::timestamp as valid_to,
            claimed_by_node_id::varchar as claimed_by_node_id,
            previous_owner_last_seen_at::timestamp as previous_owner_last_seen_at
        from splits
        """
    )
