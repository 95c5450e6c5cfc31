"""An independent reading of the tag definitions: every rule computed in plain Python, row by row,
from the models the tag engine reads, with SQL's three-valued logic for conditions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS_DIR = ROOT / "models" / "tags" / "definitions"

# What each entity's rules read: the base model, and per source the model, date and order columns.
ENTITIES = {
    "customer": {
        "key": "one_id",
        "base": "customers.customers",
        "attributes": {"scores": "scores.customer_scores"},
        "sources": {
            "orders": ("customers.customer_orders", "order_date", ("ordered_at", "order_key")),
            "order_items": ("customers.customer_order_items", "order_date", ("ordered_at", "source_row_key")),
            "events": ("customers.customer_events", "event_date", ("event_at", "source_row_key")),
            "third_party_tags": (
                "customers.customer_third_party_tags",
                "updated_date",
                ("updated_at", "source_row_key"),
            ),
        },
    },
    "product": {
        "key": "sku_id",
        "base": "customers.product_profiles",
        "sources": {
            "order_items": ("customers.order_items", "order_date", ("ordered_at", "source_row_key")),
            "events": ("customers.customer_events", "event_date", ("event_at", "source_row_key")),
        },
    },
    "store": {
        "key": "store_id",
        "base": "customers.store_profiles",
        "sources": {"orders": ("customers.orders", "order_date", ("ordered_at", "order_key"))},
    },
}
AGGREGATES = {"count", "count_distinct", "sum", "avg", "min", "max", "days_since_last", "days_since_first"}
AGGREGATES |= {"first_value", "last_value", "ratio", "imported"}
DERIVED = {"bucket", "map", "threshold"}
ZERO_WHEN_EMPTY = {"count", "count_distinct", "sum"}


def load_definitions(directory: Path = DEFINITIONS_DIR) -> list[dict]:
    tags = []
    for path in sorted(directory.glob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            tags.extend(model.get("config", {}).get("meta", {}).get("tag_definitions", []))
    return tags


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def condition_holds(value, condition):
    """True, False or None (unknown), as SQL evaluates the condition on one value."""
    if condition is None:
        return value is None
    if isinstance(condition, dict):
        results = [_operator_holds(value, operator, operand) for operator, operand in condition.items()]
        if False in results:
            return False
        return None if None in results else True
    if value is None:
        return None
    if isinstance(condition, list):
        return value in condition
    return _number(value) == condition if isinstance(condition, (int, float)) else value == condition


def _operator_holds(value, operator, operand):
    if operator == "is_null":
        return (value is None) == operand
    if operator == "not":
        inner = condition_holds(value, operand)
        return None if inner is None else not inner
    if value is None:
        return None
    value = _number(value)
    return {"gt": value > operand, "gte": value >= operand, "lt": value < operand, "lte": value <= operand}[operator]


def row_matches(row: dict, *wheres) -> bool:
    return all(
        condition_holds(row[column], cond) is True for where in wheres if where for column, cond in where.items()
    )


def parse_window(text) -> tuple[int, int] | None:
    if text in (None, "all"):
        return None
    first, _, second = text.partition("-")
    return int(first[:-1]), int(second[:-1]) if second else 0


def in_window(day: date, as_of: date, window) -> bool:
    if day is None or day > as_of:
        return False
    if window is None:
        return True
    from_days, to_days = window
    return as_of - timedelta(days=from_days) < day <= as_of - timedelta(days=to_days)


def _aggregate(kind: str, rows: list[dict], column: str | None):
    if kind == "count":
        return len(rows)
    values = [_number(row[column]) for row in rows if row[column] is not None]
    if kind == "count_distinct":
        return len(set(values))
    if not values:
        return None
    return {"sum": sum, "avg": lambda v: sum(v) / len(v), "min": min, "max": max}[kind](values)


def aggregate_tag(tag: dict, rows: list[dict], date_column: str, order: tuple, as_of: date):
    rule = tag["rule"]
    kind = rule["type"]
    if kind == "ratio":
        parts = []
        for term in (rule["numerator"], rule["denominator"]):
            kept = [row for row in rows if row_matches(row, term.get("where"))]
            parts.append(_aggregate(term["type"], kept, term.get("column")))
        numerator, denominator = parts
        return None if numerator is None or not denominator else numerator / denominator
    if kind == "imported":
        where = {"tag_provider": rule["provider"], "tag_code": rule["code"], "tag_value": {"is_null": False}}
        kept = [row for row in rows if row_matches(row, where)]
        return max(kept, key=lambda row: tuple(row[c] for c in order))["tag_value"] if kept else None
    if kind in ("days_since_last", "days_since_first"):
        days = [row[date_column] for row in rows]
        if not days:
            return None
        return (as_of - (max(days) if kind == "days_since_last" else min(days))).days
    if kind in ("first_value", "last_value"):
        kept = [row for row in rows if row[rule["column"]] is not None]
        if not kept:
            return None
        pick = max if kind == "last_value" else min
        return pick(kept, key=lambda row: tuple(row[c] for c in order))[rule["column"]]
    return _aggregate(kind, rows, rule.get("column"))


def top_tag(tag: dict, rows: list[dict]):
    rule = tag["rule"]
    by = rule.get("by", "count")
    measures: dict = defaultdict(list)
    for row in rows:
        if row[rule["column"]] is not None:
            measures[row[rule["column"]]].append(1 if by == "count" else row[by])
    scored = []
    for value, parts in measures.items():
        known = [_number(part) for part in parts if part is not None]
        if known and sum(known) > 0:
            scored.append((-sum(known), value))
    ranked = [value for _, value in sorted(scored)][: rule.get("n", 1)]
    return ",".join(ranked) if ranked else None


def derived_tag(tag: dict, value):
    rule = tag["rule"]
    if rule["type"] == "bucket":
        if value is None:
            return rule.get("null_value")
        for band in rule["bands"]:
            if "max" not in band or _number(value) <= band["max"]:
                return band["value"]
        return None
    if rule["type"] == "map":
        key = str(value).lower() if isinstance(value, bool) else str(value)
        return rule["values"].get(key, rule.get("default")) if value is not None else rule.get("default")
    if value is None:
        return None
    value = _number(value)
    return ("min" not in rule or value >= rule["min"]) and ("max" not in rule or value <= rule["max"])


def compute_tags(con: duckdb.DuckDBPyConnection, tags: list[dict], entity: str, as_of: date, sql_tags: dict) -> dict:
    """{tag code: {entity id: value}} for the entity's non-retired tags."""
    spec = ENTITIES[entity]
    key = spec["key"]
    tags = [tag for tag in tags if tag["entity"] == entity and tag.get("status", "active") != "retired"]
    base = _rows(con, f"select * from {spec['base']}")
    ids = [row[key] for row in base]
    grouped: dict[str, dict] = {}
    for tag in tags:
        source = tag.get("source") or ("third_party_tags" if tag["rule"]["type"] == "imported" else None)
        if source and source not in grouped and source in spec["sources"]:
            model, date_column, _ = spec["sources"][source]
            by_entity = defaultdict(list)
            for row in _rows(con, f"select * from {model}"):
                if row[key] is not None and row[date_column] is not None and row[date_column] <= as_of:
                    by_entity[row[key]].append(row)
            grouped[source] = by_entity
    values: dict[str, dict] = {}
    for tag in tags:
        rule = tag["rule"]
        source = tag.get("source") or ("third_party_tags" if rule["type"] == "imported" else None)
        if rule["type"] == "passthrough" and tag.get("source"):
            table = _rows(con, f"select * from {spec['attributes'][tag['source']]}")
            found = {row[key]: row[rule["column"]] for row in table}
            values[tag["code"]] = {entity_id: found.get(entity_id) for entity_id in ids}
        elif rule["type"] == "passthrough":
            values[tag["code"]] = {row[key]: row[rule["column"]] for row in base}
        elif rule["type"] in AGGREGATES or rule["type"] == "top":
            _, date_column, order = spec["sources"][source]
            window = parse_window(tag.get("window"))
            per_entity = {}
            for entity_id in ids:
                rows = [
                    row
                    for row in grouped[source].get(entity_id, [])
                    if in_window(row[date_column], as_of, window) and row_matches(row, rule.get("where"))
                ]
                if rule["type"] == "top":
                    per_entity[entity_id] = top_tag(tag, rows)
                elif not rows and rule["type"] in ZERO_WHEN_EMPTY:
                    per_entity[entity_id] = 0
                else:
                    per_entity[entity_id] = aggregate_tag(tag, rows, date_column, order, as_of)
            values[tag["code"]] = per_entity
        elif rule["type"] == "sql" and source:
            values[tag["code"]] = {
                entity_id: sql_tags[tag["code"]](grouped[source].get(entity_id, [])) for entity_id in ids
            }
    for tag in tags:
        rule = tag["rule"]
        if rule["type"] in DERIVED:
            read = values[rule["of"]]
            values[tag["code"]] = {entity_id: derived_tag(tag, read[entity_id]) for entity_id in ids}
        elif rule["type"] == "sql" and not tag.get("source"):
            values[tag["code"]] = {entity_id: sql_tags[tag["code"]](values, entity_id) for entity_id in ids}
    return values


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def starter_sql_tags(as_of: date) -> dict:
    """Python equivalents of the starter library's sql rules (SQL itself is not interpreted here)."""

    def discount_depth(rows):
        paid = [row for row in rows if row["status"] == "paid"]
        discounts = [row["discount_amount"] for row in paid if row["discount_amount"] is not None]
        bases = [row["paid_amount"] + (row["discount_amount"] or 0) for row in paid if row["paid_amount"] is not None]
        if not discounts or not bases or sum(bases) == 0:
            return None
        return float(sum(discounts)) / float(sum(bases))

    return {
        "avg_discount_depth": discount_depth,
        "is_wecom_contact": lambda rows: any(row["event_name"] == "wecom_added" for row in rows),
        "member_tenure_days": lambda values, entity_id: (
            (as_of - values["register_date"][entity_id]).days if values["register_date"][entity_id] else None
        ),
    }
