"""Components that would give one person more identifiers of a type than `max_per_person` allows,
re-built edge by edge from the strongest evidence down (type priority, then earliest seen): an edge
that would break a limit is left out. Returns the new cluster of every node in such components;
components within all limits are not listed (they stay whole).

Identifier ownership carries time. For a type listed in var `identifier_reassignment` (phone by
default), an edge that would break a limit can instead move the identifier to a new owner: when a
stronger identifier (a member id) claims it, the limit that would break is of the claimant's own
type (the two sides are different people), and the current owner's last evidence with it is at
least the type's quiet days before the claim (a recycled number), the identifier gets a new owner
period starting at the claim; the earlier period stays with the earlier owner. Later edges attach
to the owner period their first evidence falls in. A node has one row per owner period
(`valid_from` null: since ever; `valid_to` null: still)."""

from __future__ import annotations

from datetime import datetime, timedelta


class OwnerPeriod:
    """One stretch of time in which a node belongs to one cluster."""

    def __init__(self, node, unit, valid_from=None, claimed_by=None, previous_owner_last_seen=None, last_seen=None):
        self.node = node
        self.unit = unit  # the node for its first period, `<node>@<valid_from>` for later ones
        self.valid_from = valid_from
        self.valid_to = None
        self.claimed_by = claimed_by  # the node whose claim opened the period
        self.previous_owner_last_seen = previous_owner_last_seen  # last evidence of the owner it was taken from
        self.last_seen = last_seen  # last evidence of the edges joined through this period
        self.cluster = None

    def __repr__(self):
        return f"OwnerPeriod({self.node!r}, {self.cluster!r}, {self.valid_from}, {self.valid_to}, {self.claimed_by!r})"


def _find(parent, node):
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:
        parent[node], node = root, parent[node]
    return root


def _period_at(periods: list[OwnerPeriod], seen_at: datetime | None) -> OwnerPeriod:
    """The owner period an edge first seen at `seen_at` belongs to (the first one when unknown)."""
    chosen = periods[0]
    if seen_at is None:
        return chosen
    for period in periods[1:]:
        if period.valid_from <= seen_at:
            chosen = period
    return chosen


def _seen(period: OwnerPeriod, seen_at: datetime | None) -> None:
    if seen_at is not None and (period.last_seen is None or seen_at > period.last_seen):
        period.last_seen = seen_at


def split_by_limits(node_types, edges, limits, priorities=None, reassign_days=None) -> list[OwnerPeriod]:
    """Greedy constrained union-find with owner periods.

    node_types: {node: type}; edges: [(a, b, first_seen_at, last_seen_at)] strongest first (times
    may be None); limits: {type: max}; priorities: {type: priority, 1 strongest}; reassign_days:
    {type: quiet days} for the types whose values can change owners (empty: none, the earliest
    link keeps an identifier for good). Returns the owner periods of every node, in node and time
    order, each with its cluster key (the smallest unit key of the cluster)."""
    priorities = priorities or {}
    reassign_days = reassign_days or {}
    parent = {node: node for node in node_types}
    counts = {node: {node_types[node]: 1} for node in node_types}
    periods = {node: [OwnerPeriod(node=node, unit=node)] for node in node_types}
    for node_a, node_b, first_seen, last_seen in edges:
        period_a, period_b = _period_at(periods[node_a], first_seen), _period_at(periods[node_b], first_seen)
        root_a, root_b = _find(parent, period_a.unit), _find(parent, period_b.unit)
        if root_a == root_b:
            _seen(period_a, last_seen)
            _seen(period_b, last_seen)
            continue
        merged = dict(counts[root_a])
        for identifier_type, count in counts[root_b].items():
            merged[identifier_type] = merged.get(identifier_type, 0) + count
        exceeded = {identifier_type for identifier_type, count in merged.items() if count > limits[identifier_type]}
        if not exceeded:
            parent[root_b] = root_a
            counts[root_a] = merged
            del counts[root_b]
            _seen(period_a, last_seen)
            _seen(period_b, last_seen)
            continue
        for holder, holder_period, claimant, claimant_root in (
            (node_a, period_a, node_b, root_b),
            (node_b, period_b, node_a, root_a),
        ):
            if _reassign(
                holder, holder_period, claimant, claimant_root, first_seen, last_seen, exceeded, node_types,
                limits, priorities, reassign_days, parent, counts, periods,
            ):  # fmt: skip
                break
    for node_periods in periods.values():
        for earlier, later in zip(node_periods, node_periods[1:], strict=False):
            earlier.valid_to = later.valid_from
    members: dict[str, list[str]] = {}
    for node_periods in periods.values():
        for period in node_periods:
            members.setdefault(_find(parent, period.unit), []).append(period.unit)
    cluster_of = {unit: min(group) for group in members.values() for unit in group}
    result = []
    for node in sorted(periods):
        for period in periods[node]:
            period.cluster = cluster_of[period.unit]
            result.append(period)
    return result


def _reassign(
    holder, holder_period, claimant, claimant_root, claimed_at, last_seen, exceeded, node_types, limits,
    priorities, reassign_days, parent, counts, periods,
) -> bool:  # fmt: skip
    """Moves `holder` to the claimant's cluster from `claimed_at` on, when the rule allows it."""
    holder_type, claimant_type = node_types[holder], node_types[claimant]
    quiet_days = reassign_days.get(holder_type)
    if quiet_days is None or claimed_at is None or holder_period.last_seen is None:
        return False
    if claimant_type not in exceeded or priorities.get(claimant_type, 0) >= priorities.get(holder_type, 0):
        return False  # only a stronger identifier of another person claims it
    if claimed_at < holder_period.last_seen + timedelta(days=quiet_days):
        return False  # the current owner used it too recently: same person or a typo, not a new subscriber
    joined = dict(counts[claimant_root])
    joined[holder_type] = joined.get(holder_type, 0) + 1
    if joined[holder_type] > limits[holder_type]:
        return False
    period = OwnerPeriod(
        node=holder,
        unit=f"{holder}@{claimed_at.isoformat(sep=' ')}",
        valid_from=claimed_at,
        claimed_by=claimant,
        previous_owner_last_seen=holder_period.last_seen,
        last_seen=last_seen,
    )
    node_periods = periods[holder]
    node_periods.insert(node_periods.index(holder_period) + 1, period)
    parent[period.unit] = claimant_root
    counts[claimant_root] = joined
    return True


COLUMNS = (
    "node_id", "cluster_id", "valid_from", "valid_to", "claimed_by_node_id", "previous_owner_last_seen_at",
)  # fmt: skip


def limit_splits(types, edges) -> list[tuple]:
    """The model's rows (COLUMNS) from plain rows. types: (identifier_type, max_per_person,
    priority) of every identifier type; edges: (node_a, type_a, reassign_after_days_a, node_b,
    type_b, reassign_after_days_b, first_seen_at, last_seen_at) of int_identity_over_limit_edges
    in strength_rank order (times are datetimes or None)."""
    limits = {identifier_type: limit for identifier_type, limit, _ in types}
    priorities = {identifier_type: priority for identifier_type, _, priority in types}
    node_types, reassign_days, listed = {}, {}, []
    for node_a, type_a, days_a, node_b, type_b, days_b, first_seen, last_seen in edges:
        for node, node_type, days in ((node_a, type_a, days_a), (node_b, type_b, days_b)):
            node_types[node] = node_type
            if days is not None:
                reassign_days[node_type] = days
        listed.append((node_a, node_b, first_seen, last_seen))
    periods = split_by_limits(node_types, listed, limits, priorities, reassign_days)
    return [(p.node, p.cluster, p.valid_from, p.valid_to, p.claimed_by, p.previous_owner_last_seen) for p in periods]
