"""Why are two identifiers the same person? Prints the chain of links between them in the
resolved OneID graph and the source rows behind each link.

Identifiers are written as `<type>:<value>`, e.g. `member_id:M00012345` or `phone:13800138001`
(openid as `openid:<appid>/<openid>`, buyer_id as `buyer_id:<platform>/<buyer id>`).
"""

from __future__ import annotations

import sys
from collections import deque

import warehouse
from cli import ArgumentParser

EVIDENCE_PER_LINK = 3


class ExplainError(Exception):
    pass


def one_id_of(con, node_id: str) -> str:
    rows = con.execute(
        "select one_id from identity.identity_one_ids where node_id = ? and is_current", [node_id]
    ).fetchall()
    if not rows:
        blocked = con.execute(
            "select block_reason from identity.identity_blocked_identifiers where node_id = ?", [node_id]
        ).fetchall()
        if blocked:
            raise ExplainError(f"{node_id} is blocked and links no one ({blocked[0][0]})")
        raise ExplainError(f"{node_id} is not a resolved identifier (check the type prefix and the value)")
    return rows[0][0]


def shortest_path(con, one_id: str, start: str, goal: str) -> list[str]:
    """Breadth-first search over the links kept inside one person's cluster."""
    edges = con.execute(
        """
        select edges.node_a, edges.node_b
        from identity.int_identity_linking_edges as edges
        inner join identity.identity_one_ids as side_a on edges.node_a = side_a.node_id and side_a.is_current
        inner join identity.identity_one_ids as side_b on edges.node_b = side_b.node_id and side_b.is_current
        where side_a.one_id = ? and side_b.one_id = ?
        """,
        [one_id, one_id],
    ).fetchall()
    neighbours: dict[str, list[str]] = {}
    for node_a, node_b in edges:
        neighbours.setdefault(node_a, []).append(node_b)
        neighbours.setdefault(node_b, []).append(node_a)
    came_from = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for neighbour in sorted(neighbours.get(node, [])):
            if neighbour not in came_from:
                came_from[neighbour] = node
                queue.append(neighbour)
    if goal not in came_from:
        raise ExplainError(f"no chain of links joins {start} and {goal} inside {one_id}")
    path, node = [], goal
    while node is not None:
        path.append(node)
        node = came_from[node]
    return path[::-1]


def evidence(con, node_a: str, node_b: str) -> list[tuple]:
    low, high = sorted((node_a, node_b))
    return con.execute(
        """
        select source_model, source_row_key, observed_at
        from identity.int_identity_edge_evidence
        where node_a = ? and node_b = ?
        order by observed_at, source_model, source_row_key
        limit ?
        """,
        [low, high, EVIDENCE_PER_LINK],
    ).fetchall()


def explain(con, node_a: str, node_b: str) -> str:
    one_a, one_b = one_id_of(con, node_a), one_id_of(con, node_b)
    if one_a != one_b:
        return f"{node_a} is {one_a} and {node_b} is {one_b}: not the same person"
    path = shortest_path(con, one_a, node_a, node_b)
    lines = [f"{node_a} and {node_b} are both {one_a}, through {len(path) - 1} link(s):"]
    for left, right in zip(path, path[1:], strict=False):
        lines.append(f"  {left}  <->  {right}")
        for source_model, source_row_key, observed_at in evidence(con, left, right):
            lines.append(f"      seen together in {source_model} row {source_row_key} at {observed_at} UTC")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description=__doc__)
    parser.add_argument("identifier_a", help="e.g. member_id:M00012345")
    parser.add_argument("identifier_b", help="e.g. phone:13800138001")
    parser.add_argument("--db", help="DuckDB file (default: $PORTRAIT_DB_PATH or build/portrait.duckdb)")
    args = parser.parse_args(argv)
    for identifier in (args.identifier_a, args.identifier_b):
        if ":" not in identifier:
            parser.error(f"{identifier!r} is not <type>:<value>")
    try:
        with warehouse.connect(warehouse.database_path(args.db)) as con:
            print(explain(con, args.identifier_a, args.identifier_b))
    except (warehouse.WarehouseError, ExplainError) as error:
        print(f"explain_identity: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
