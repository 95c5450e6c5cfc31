"""Spark adapter of int_identity_limit_splits (models/identity/spark/int_identity_limit_splits.sql):
params {"types": [{identifier_type, max_per_person, priority}]}; rows (node_a, type_a,
reassign_after_days_a, node_b, type_b, reassign_after_days_b, first_seen_at, last_seen_at) in
strength_rank order; writes the model's rows (portrait/python_models/int_identity_limit_splits.py)."""

from __future__ import annotations

from portrait.python_models.int_identity_limit_splits import limit_splits
from portrait.spark_models import integer, read_input, timestamp, write_rows


def parse_edge(fields):
    node_a, type_a, days_a, node_b, type_b, days_b, first_seen, last_seen = fields
    return (
        node_a, type_a, integer(days_a), node_b, type_b, integer(days_b), timestamp(first_seen), timestamp(last_seen),
    )  # fmt: skip


def run(params: dict, rows) -> list[tuple]:
    types = [(t["identifier_type"], t["max_per_person"], t.get("priority")) for t in params.get("types", [])]
    return limit_splits(types, [parse_edge(fields) for fields in rows])


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
