"""Spark adapter of segment_lookalike_fits (models/segments/spark/segment_lookalike_fits.sql):
params {"min_seed", "lookalikes": [{segment_code, lookalike: spec JSON text}], "reads":
{segment_code: tags}, "usable": feature tags in tag_code order}; rows (one_id, in_profile, seeds:
JSON array of the lookalike seeds the person is a base member of, the usable tags as doubles) in
one_id order, for everyone in customer_profile or a seed; writes the rows of
portrait/python_models/segment_lookalike_fits.py (features, members and scores as JSON text)."""

from __future__ import annotations

import json

import numpy as np

from portrait.python_models.segment_lookalike_fits import lookalike_fits
from portrait.spark_models import boolean, number, read_input, write_rows

COLUMNS = (
    "segment_code", "seed_segment", "status", "message", "seed_size", "population", "features", "holdout_auc",
    "min_member_score", "members", "scores",
)  # fmt: skip
AS_JSON = ("features", "members", "scores")


def run(params: dict, rows) -> list[tuple]:
    usable = list(params.get("usable") or [])
    lookalikes = [(item["segment_code"], item["lookalike"]) for item in params.get("lookalikes") or []]
    one_ids, values, seed_members = [], [], {}
    for fields in rows:
        one_id, in_profile, seeds = fields[0], boolean(fields[1]), json.loads(fields[2] or "[]")
        for seed in seeds:
            seed_members.setdefault(seed, set()).add(one_id)
        if in_profile:
            one_ids.append(one_id)
            values.append([number(field) for field in fields[3 : 3 + len(usable)]])
    matrix = np.array(values, dtype=float).reshape(len(one_ids), len(usable))
    columns = {tag: np.ascontiguousarray(matrix[:, index]) for index, tag in enumerate(usable)}
    reads = params.get("reads") or {}
    fits = lookalike_fits(
        lookalikes, reads, usable, np.asarray(one_ids, dtype=object), columns, seed_members, int(params["min_seed"])
    )
    return [tuple(json.dumps(fit[name]) if name in AS_JSON else fit[name] for name in COLUMNS) for fit in fits]


def main() -> None:
    write_rows(run(*read_input()))


if __name__ == "__main__":
    main()
