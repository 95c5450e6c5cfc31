"""Components that would give one person more identifiers of a type than `max_per_person` allows,
re-built edge by edge from the strongest evidence down (type priority, then earliest seen): an edge
that would break a limit is left out. Returns the new cluster of every node in such components;
components within all limits are not listed (they stay whole)."""

import numpy as np


def _find(parent, node):
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:
        parent[node], node = root, parent[node]
    return root


def split_by_limits(node_types, edges, limits):
    """Greedy constrained union-find. node_types: {node: type}; edges: [(a, b)] strongest first;
    limits: {type: max}. Returns {node: cluster_key} with the smallest node id as key."""
    parent = {node: node for node in node_types}
    counts = {node: {node_types[node]: 1} for node in node_types}
    for node_a, node_b in edges:
        root_a, root_b = _find(parent, node_a), _find(parent, node_b)
        if root_a == root_b:
            continue
        merged = dict(counts[root_a])
        for identifier_type, count in counts[root_b].items():
            merged[identifier_type] = merged.get(identifier_type, 0) + count
        if any(count > limits[identifier_type] for identifier_type, count in merged.items()):
            continue
        parent[root_b] = root_a
        counts[root_a] = merged
        del counts[root_b]
    members = {}
    for node in node_types:
        members.setdefault(_find(parent, node), []).append(node)
    return {node: min(group) for group in members.values() for node in group}


def model(dbt, session):
    dbt.config(materialized="table")
    limits = dict(dbt.ref("identifier_types").project("identifier_type, max_per_person").fetchall())
    rows = dbt.ref("int_identity_over_limit_edges").order("strength_rank").fetchall()
    columns = dbt.ref("int_identity_over_limit_edges").columns
    node_a, type_a, node_b, type_b = (columns.index(c) for c in ("node_a", "type_a", "node_b", "type_b"))
    node_types = {row[node_a]: row[type_a] for row in rows} | {row[node_b]: row[type_b] for row in rows}
    clusters = split_by_limits(node_types, [(row[node_a], row[node_b]) for row in rows], limits)
    splits = {  # noqa: F841 (read by the query below)
        "node_id": np.array(list(clusters), dtype=object),
        "cluster_id": np.array(list(clusters.values()), dtype=object),
    }
    return session.sql("select node_id::varchar as node_id, cluster_id::varchar as cluster_id from splits")
