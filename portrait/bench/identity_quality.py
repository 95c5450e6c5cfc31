"""Scores OneID against the demo data's ground truth: pairwise precision and recall of the
resolved clusters over identifiers that belong to one person, and recall against the evidence
ceiling (the pairs that any resolver could join from identifiers seen together in raw rows)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from portrait.bench import BenchError


def _pairs(counts) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def _union_find_groups(nodes, edges) -> dict[str, str]:
    parent = {node: node for node in nodes}

    def find(node):
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for node_a, node_b in edges:
        root_a, root_b = find(node_a), find(node_b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return {node: find(node) for node in nodes}


def score(con: duckdb.DuckDBPyConnection, ground_truth_dir: Path) -> dict:
    """Pairwise scores over identifiers of one person (shared identifiers left out), fractions in
    [0, 1]: {identifiers_scored, resolved_identifiers, precision, recall, recall_of_linkable_pairs,
    linkable_share_of_true_pairs}. A pair is two identifiers; precision = pairs in one OneID that are
    one person / pairs in one OneID, recall = the same / pairs of one person. BenchError when the
    ground truth (the generator's ground_truth/identifiers.parquet) is missing."""
    identifiers = Path(ground_truth_dir) / "identifiers.parquet"
    if not identifiers.is_file():
        raise BenchError(f"{identifiers} does not exist: give the ground_truth folder of the generated data")
    truth = con.execute(
        """
        select distinct
            identifier_type || ':' || coalesce(nullif(identifier_scope, '') || '/', '') || identifier_value as node_id,
            person_id
        from read_parquet(?)
        where not is_shared
        """,
        [str(identifiers)],
    ).fetchall()
    person_of = dict(truth)
    resolved = con.execute("select node_id, one_id from identity.customer_identities where not is_shared").fetchall()
    matched = [(node, one_id, person_of[node]) for node, one_id in resolved if node in person_of]
    together: dict[tuple[str, str], int] = {}
    per_one_id: dict[str, int] = {}
    per_person: dict[str, int] = {}
    for _, one_id, person in matched:
        together[(one_id, person)] = together.get((one_id, person), 0) + 1
        per_one_id[one_id] = per_one_id.get(one_id, 0) + 1
        per_person[person] = per_person.get(person, 0) + 1
    true_positives = _pairs(together.values())
    # Evidence ceiling: a person's identifiers joined by raw co-occurrence between them alone.
    nodes = {node for node, _, _ in matched}
    evidence = con.execute("select node_a, node_b from identity.identity_edges").fetchall()
    same_person = [(a, b) for a, b in evidence if a in nodes and b in nodes and person_of[a] == person_of[b]]
    groups = _union_find_groups(nodes, same_person)
    reachable: dict[str, int] = {}
    for node in nodes:
        reachable[groups[node]] = reachable.get(groups[node], 0) + 1
    linkable_pairs = _pairs(reachable.values())
    return {
        "identifiers_scored": len(matched),
        "resolved_identifiers": len(resolved),
        "precision": true_positives / max(_pairs(per_one_id.values()), 1),
        "recall": true_positives / max(_pairs(per_person.values()), 1),
        "recall_of_linkable_pairs": true_positives / max(linkable_pairs, 1),
        "linkable_share_of_true_pairs": linkable_pairs / max(_pairs(per_person.values()), 1),
    }
