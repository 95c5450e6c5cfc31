"""Why are two identifiers the same person? Prints the chain of links between them in the
resolved OneID graph and the source rows behind each link. An identifier that changed owners (a
recycled number) is listed with each owner and the claim that moved it; given alone, an identifier
prints its owners.

Identifiers are written as `<type>:<value>`, e.g. `member_id:M00012345` or `phone:13800138001`
(openid as `openid:<appid>/<openid>`, buyer_id as `buyer_id:<platform>/<buyer id>`).
"""

from __future__ import annotations

from collections import deque

import duckdb

from portrait.explain import ExplainError

EVIDENCE_PER_LINK = 3


def owners_of(con: duckdb.DuckDBPyConnection, node_id: str) -> list[tuple]:
    """Owner periods in time order: (one_id, valid_from, valid_to, claimed_by, previous_owner_last_seen_at)."""
    rows = con.execute(
        """
        select one_id, valid_from, valid_to, claimed_by_node_id, previous_owner_last_seen_at
        from identity.identity_identifier_owners
        where node_id = ?
        order by owner_number
        """,
        [node_id],
    ).fetchall()
    if not rows:
        blocked = con.execute(
            "select block_reason from identity.identity_blocked_identifiers where node_id = ?", [node_id]
        ).fetchall()
        if blocked:
            raise ExplainError(f"{node_id} is blocked and links no one ({blocked[0][0]})")
        raise ExplainError(f"{node_id} is not a resolved identifier (check the type prefix and the value)")
    return rows


def one_id_of(con: duckdb.DuckDBPyConnection, node_id: str) -> str:
    """The one_id of the identifier's latest owner; ExplainError when it is not resolved."""
    return owners_of(con, node_id)[-1][0]


def ownership(node_id: str, owners: list[tuple]) -> list[str]:
    """Lines telling who held an identifier that changed owners, and why it moved."""
    lines = [f"{node_id} changed owners ({len(owners)}):"]
    for one_id, valid_from, valid_to, claimed_by, previous_last_seen in owners:
        since = "since ever" if valid_from is None else f"from {valid_from} UTC"
        until = "to now" if valid_to is None else f"until {valid_to} UTC"
        line = f"  {one_id} {since} {until}"
        if claimed_by is not None:
            quiet_days = (valid_from - previous_last_seen).days
            line += f": claimed by {claimed_by}, {quiet_days} days after the previous owner last used it"
        lines.append(line)
    return lines


def shortest_path(con: duckdb.DuckDBPyConnection, one_id: str, start: str, goal: str) -> list[str]:
    """Breadth-first search over the links kept inside one person's cluster (in any owner period)."""
    edges = con.execute(
        """
        select distinct edges.node_a, edges.node_b
        from identity.identity_linking_edges as edges
        inner join identity.identity_identifier_owners as side_a on edges.node_a = side_a.node_id
        inner join identity.identity_identifier_owners as side_b on edges.node_b = side_b.node_id
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


def evidence(con: duckdb.DuckDBPyConnection, node_a: str, node_b: str) -> list[tuple]:
    """Up to EVIDENCE_PER_LINK source rows that saw the two identifiers together, oldest first:
    (source model, raw file, line or row number in it, observed_at in UTC). The file and line are
    looked up in the staging model by the row's key (source_row_key: a hash of the two)."""
    low, high = sorted((node_a, node_b))
    rows = con.execute(
        """
        select source_model, source_row_key, observed_at
        from identity.identity_edge_evidence
        where node_a = ? and node_b = ?
        order by observed_at, source_model, source_row_key
        limit ?
        """,
        [low, high, EVIDENCE_PER_LINK],
    ).fetchall()
    found = []
    for source_model, key, observed_at in rows:
        located = con.execute(
            f"select _source_file, _source_row from staging.{source_model} "
            "where hash(_source_file, _source_row) = ? limit 1",
            [key],
        ).fetchone() or (None, None)
        found.append((source_model, *located, observed_at))
    return found


def canonical_node(con: duckdb.DuckDBPyConnection, identifier: str | None) -> str | None:
    """`<type>:<value>` with the value in its type's canonical form (the build's function
    reference.normalize_identifier, the rule staging applies); ExplainError when the value is not
    an identifier of its type. Scoped values (`<appid>/<openid>`) are normalised part by part."""
    if identifier is None:
        return None
    identifier_type, value = identifier.split(":", 1)
    parts = [con.execute("select reference.normalize_identifier(?, ?)", [identifier_type, part]).fetchone()[0]
             for part in value.split("/")]  # fmt: skip
    if None in parts:
        raise ExplainError(f"{value!r} is not a valid {identifier_type}")
    return f"{identifier_type}:{'/'.join(parts)}"


def explain(con: duckdb.DuckDBPyConnection, node_a: str, node_b: str | None = None) -> str:
    """The explanation as text lines: for two canonical node ids (`<type>:<value>`), whether they
    are one person and the chain of links with its evidence; for one, its owners. ExplainError
    when an identifier is not resolved or is blocked."""
    owners_a = owners_of(con, node_a)
    if node_b is None:
        if len(owners_a) == 1:
            return f"{node_a} is {owners_a[0][0]} (it never changed owners)"
        return "\n".join(ownership(node_a, owners_a))
    owners_b = owners_of(con, node_b)
    history = [line for node, owners in ((node_a, owners_a), (node_b, owners_b)) if len(owners) > 1
               for line in ownership(node, owners)]  # fmt: skip
    ids_a, ids_b = [row[0] for row in owners_a], [row[0] for row in owners_b]
    common = [one_id for one_id in ids_a if one_id in ids_b]
    if not common:
        lines = [f"{node_a} is {' then '.join(ids_a)} and {node_b} is {' then '.join(ids_b)}: not the same person"]
        return "\n".join(lines + history)
    one_id = common[-1]
    path = shortest_path(con, one_id, node_a, node_b)
    lines = [f"{node_a} and {node_b} are both {one_id}, through {len(path) - 1} link(s):"]
    for left, right in zip(path, path[1:], strict=False):
        lines.append(f"  {left}  <->  {right}")
        for source_model, source_file, source_row, observed_at in evidence(con, left, right):
            lines.append(
                f"      seen together in {source_model} ({source_file}, row {source_row}) at {observed_at} UTC"
            )
    return "\n".join(lines + history)
