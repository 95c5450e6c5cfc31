"""Why is (or isn't) a customer in a segment? Evaluates every condition of the segment's rule for
that customer as of the build's as_of day and prints the rule as a tree, each condition marked
held or not, then where the membership ended: suppression, exclusive group, variant.

    portrait explain segment dormant_vip_winback OID0123456789abcdef
"""

from __future__ import annotations

import json

import duckdb

from portrait.explain import ExplainError

# The relations a compiled condition reads, restricted to the one customer.
CONTEXT = """
with profile as (select * from tags.customer_profile where one_id = $one_id),
segment_events as (select * from customers.customer_events where one_id = $one_id),
segment_purchases as (select * from customers.customer_order_items where one_id = $one_id)
"""


def definition(con: duckdb.DuckDBPyConnection, segment_code: str) -> dict:
    """The segment's row of segment_definitions as a dict (type, status, conditions, list,
    lookalike, frozen_on, exclusive_group, input_status); ExplainError naming the known segments
    when there is no such segment."""
    rows = con.execute(
        "select segment_type, status, cast(conditions as varchar), list_name, cast(lookalike as varchar),"
        " frozen_on, exclusive_group, input_status from segments.segment_definitions where segment_code = ?",
        [segment_code],
    ).fetchall()
    if not rows:
        known = con.execute("select segment_code from segments.segment_definitions order by 1").fetchall()
        known = [code for (code,) in known]
        raise ExplainError(f"{segment_code!r} is not a segment; segments: {', '.join(known)}")
    kind, status, conditions, list_name, lookalike, frozen_on, group, input_status = rows[0]
    return {
        "type": kind,
        "status": status,
        "conditions": json.loads(conditions) if conditions else [],
        "list": list_name,
        "lookalike": json.loads(lookalike) if lookalike else None,
        "frozen_on": frozen_on,
        "exclusive_group": group,
        "input_status": input_status,
    }


def condition_results(con: duckdb.DuckDBPyConnection, conditions: list[dict], one_id: str) -> list[bool]:
    """Each condition's SQL evaluated for the customer, in one query."""
    if not conditions:
        return []
    columns = ", ".join(f"({c['sql']}) as c{i}" for i, c in enumerate(conditions))
    row = con.execute(f"{CONTEXT} select {columns} from profile", {"one_id": one_id}).fetchone()
    return list(row)


def describe(condition: dict) -> str:
    """A condition as JSON without its children, or the name of its combinator (all, any, not)."""
    shown = {key: value for key, value in condition.items() if key not in ("all", "any", "not")}
    if shown:
        return json.dumps(shown, ensure_ascii=False)
    return next(key for key in ("all", "any", "not") if key in condition)


def rule_lines(conditions: list[dict], results: list[bool]) -> list[str]:
    """One line per condition, `held` or `not held`, indented by depth, in rule order."""
    lines = []
    for condition, held in zip(conditions, results, strict=True):
        depth = condition["path"].count(".")
        mark = "held    " if held else "not held"
        lines.append(f"  {mark} {'  ' * depth}{condition['path']}: {describe(condition['condition'])}")
    return sorted(lines, key=lambda line: _path_key(line.split(": ", 1)[0].split()[-1]))


def _path_key(path: str) -> list:
    """rule.all[10] after rule.all[9]: numbers compare as numbers."""
    key = []
    for part in path.replace("[", ".").replace("]", "").split("."):
        key.append((0, int(part), "") if part.isdigit() else (1, 0, part))
    return key


def source_lines(con: duckdb.DuckDBPyConnection, segment_code: str, spec: dict, one_id: str) -> list[str]:
    """Where a list, lookalike or static segment's members come from, for this customer."""
    if spec["input_status"] != "ready":
        return [f"  the segment has no members: {spec['input_status']}"]
    if spec["list"]:
        rows = con.execute(
            "select source_row, raw_identifier_type, raw_identifier from segments.segment_list_entries"
            " where list_name = ? and one_id = ? order by source_row",
            [spec["list"], one_id],
        ).fetchall()
        found = "; ".join(f"row {row}: {kind} {value}" for row, kind, value in rows)
        return [f"  list {spec['list']}: " + (found or "the customer is not on the list")]
    if spec["lookalike"]:
        row = con.execute(
            "select list_position(members, $one_id), seed_segment, status, message, len(members)"
            " from segments.segment_lookalike_fits where segment_code = $segment",
            {"one_id": one_id, "segment": segment_code},
        ).fetchone()
        if row is None or row[2] != "fitted":
            return [f"  lookalike not fitted: {row[3] if row else 'no fit'}"]
        rank = f"rank {row[0]} of {row[4]} members" if row[0] else f"not among the top {row[4]}"
        return [f"  lookalike of {row[1]} ({row[3]}): {rank}"]
    frozen = con.execute(
        "select frozen_as_of from segments.segment_static_members where segment_code = ? and one_id = ?",
        [segment_code, one_id],
    ).fetchall()
    if spec["type"] == "static":
        return [f"  frozen on {frozen[0][0]}" if frozen else "  not in the frozen membership"]
    return []


def membership_lines(con: duckdb.DuckDBPyConnection, segment_code: str, spec: dict, one_id: str) -> list[str]:
    """The last line: member (with its variant), or why not (does not qualify, suppressed, kept in
    another segment of its exclusive group)."""
    (qualified,) = con.execute(
        "select exists (select 1 from segments.segment_base_members where segment_code = $s and one_id = $o)"
        " or coalesce((select list_contains(members, $o) from segments.segment_lookalike_fits"
        " where segment_code = $s), false)",
        {"s": segment_code, "o": one_id},
    ).fetchone()
    member = con.execute(
        "select variant from segments.segment_members where segment_code = ? and one_id = ?", [segment_code, one_id]
    ).fetchall()
    if member:
        variant = member[0][0]
        return [f"member, variant {variant}" if variant else "member (no experiment)"]
    if not qualified:
        return ["not a member: does not qualify"]
    suppressions = con.execute(
        "select members.segment_code from segments.segment_members as members"
        " inner join segments.segment_definitions as definitions using (segment_code)"
        " where definitions.segment_type = 'suppression' and members.one_id = ? order by 1",
        [one_id],
    ).fetchall()
    if suppressions:
        return [f"not a member: suppressed by {', '.join(code for (code,) in suppressions)}"]
    winner = con.execute(
        "select members.segment_code from segments.segment_members as members"
        " inner join segments.segment_definitions as definitions using (segment_code)"
        " where definitions.exclusive_group = ? and members.one_id = ?",
        [spec["exclusive_group"], one_id],
    ).fetchall()
    if winner:
        return [f"not a member: kept in {winner[0][0]}, which ranks first in exclusive group {spec['exclusive_group']}"]
    return ["not a member"]


def explain(con: duckdb.DuckDBPyConnection, segment_code: str, one_id: str) -> str:
    """The explanation as text lines (rule tree, sources, membership); ExplainError for an unknown
    segment or one_id."""
    spec = definition(con, segment_code)
    exists = con.execute("select count(*) from tags.customer_profile where one_id = ?", [one_id]).fetchone()[0]
    if not exists:
        raise ExplainError(f"{one_id!r} is not a current one_id in customer_profile")
    (as_of,) = con.execute("select max(as_of) from segments.segment_members").fetchone() or (None,)
    lines = [f"{segment_code} ({spec['type']}, {spec['status']}) for {one_id}, as of {as_of}"]
    lines += rule_lines(spec["conditions"], condition_results(con, spec["conditions"], one_id))
    lines += source_lines(con, segment_code, spec, one_id)
    lines += membership_lines(con, segment_code, spec, one_id)
    return "\n".join(lines)
