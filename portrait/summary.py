"""What a build produced, as text: rows per layer and model, raw-row accounting, quarantine by reason,
OneID figures, tags and governance findings, model fit statuses, segment sizes and their reach per
activation destination."""

from __future__ import annotations

import duckdb

from portrait import warehouse
from portrait.project import business_time_zone


def format_summary(con: duckdb.DuckDBPyConnection) -> str:
    """The whole report as text lines: as_of, rows per layer, raw-row accounting, quarantine
    reasons, OneID, tags, model fits, segments and reach; sections whose models were not built
    are left out."""
    sections = (
        as_of_lines(con),
        layer_lines(con),
        accounting_lines(con),
        identity_lines(con),
        tag_lines(con),
        fit_lines(con),
        [f"segment {segment} has no members: {status}" for segment, status in segments_not_ready(con)],
        reach_lines(con),
    )
    return "\n".join(line for section in sections for line in section)


def as_of_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The build's as_of day and the staged orders after it (not read), then a blank line."""
    horizon = orders_after_as_of(con)
    if not horizon:
        return []
    as_of, later, latest = horizon
    lines = [f"as_of {as_of}: windows end that day; nothing later is read (dbt var as_of)"]
    if later:
        lines.append(
            f"  {later:,} staged orders are after as_of (the latest {latest:%Y-%m-%d}) and are not read: "
            f"build with --vars '{{as_of: \"{latest:%Y-%m-%d}\"}}' to include them"
        )
    return [*lines, ""]


def layer_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Per layer its models and rows, then each model's rows."""
    lines = []
    for layer, models in warehouse.layer_row_counts(con).items():
        lines.append(f"{layer} ({len(models)} models, {sum(models.values()):,} rows)")
        lines += [f"  {name:<40} {rows:>12,}" for name, rows in models.items()]
    return lines


def accounting_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Raw rows per source (staged + quarantined + duplicates) and quarantined rows per reason."""
    lines = ["", "raw rows by source: staged + quarantined + duplicates removed"]
    lines.append(f"  {'source':<24} {'raw':>10} {'staged':>10} {'quarantined':>12} {'duplicates':>11}")
    for source, raw, staged, quarantined, duplicates in warehouse.staging_row_accounting(con):
        lines.append(f"  {source:<24} {raw:>10,} {staged:>10,} {quarantined:>12,} {duplicates:>11,}")
    lines += ["", "quarantined rows by reason"]
    reasons = warehouse.quarantine_by_reason(con)
    lines += [f"  {source:<24} {reason:<36} {rows:>8,}" for source, reason, rows in reasons]
    return lines if reasons else [*lines, "  (none)"]


def identity_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One paragraph on the last OneID run; empty before identity was built."""
    identity = warehouse.latest_identity_run(con)
    if not identity:
        return []
    return [
        "",
        f"OneID: {identity['clusters']:,} people ({identity['singletons']:,} with one identifier), "
        f"largest {identity['largest_cluster_identifiers']} identifiers; "
        f"{identity['blocked_identifiers']:,} values blocked, {identity['hubs']:,} hubs, "
        f"{identity['limited_edges']:,} links left out by limits; this run merged "
        f"{identity['ids_merged']:,} ids and split off {identity['clusters_split_off']:,}",
    ]


def tag_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Tags per entity and status with their mean coverage, and governance findings per check."""
    tags = warehouse.tag_overview(con)
    if not tags:
        return []
    lines = ["", "tags by entity and status (mean coverage)"]
    lines += [
        f"  {entity:<10} {status:<11} {count:>4} tags  {coverage}" for entity, status, count, coverage in tags["tags"]
    ]
    findings = ", ".join(f"{check} {count}" for check, count in tags["findings"]) or "none"
    return [*lines, f"tag governance findings: {findings}"]


def fit_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every fitted model's status (scores of a model that is not fitted are empty)."""
    fits = model_fit_statuses(con)
    if not fits:
        return []
    lines = ["", "model fits (scores of a model that is not fitted are empty)"]
    return lines + [f"  {model:<32} {status}" for model, status in fits]


def reach_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """A table of segments: members, and reachable members per destination ('refused' when the
    segment may not go there)."""
    reach = segment_reach(con)
    if not reach:
        return []
    destinations = sorted({destination for _, _, destination, _ in reach})
    sizes: dict[str, dict] = {}
    for segment, members, destination, reachable in reach:
        sizes.setdefault(segment, {"members": members})[destination] = reachable
    lines = ["", "segments: members, and members reachable per destination (after consent, filters, holdouts)"]
    lines.append(f"  {'segment':<32} {'members':>8} " + " ".join(f"{name:>12}" for name in destinations))
    for segment, row in sizes.items():
        cells = " ".join(f"{'refused':>12}" if row[name] is None else f"{row[name]:>12,}" for name in destinations)
        lines.append(f"  {segment:<32} {row['members']:>8,} {cells}")
    return lines


FITTED_MODELS = (
    ("scores", "model_bgnbd_params", "fit_status"),
    ("scores", "model_gamma_gamma_params", "fit_status"),
    ("scores", "model_propensity_fit", "fit_status"),
)


def model_fit_statuses(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(model, fit status) of every fitted model built, and of every lookalike segment (its
    message); 'fitted' or the reason it was not ('not fitted: ...', 'refused: ...')."""
    statuses = [
        (name, status)
        for schema, name, column in FITTED_MODELS
        if _table_exists(con, schema, name)
        for (status,) in con.execute(f"select {column} from {schema}.{name}").fetchall()
    ]
    if _table_exists(con, "segments", "segment_lookalike_fits"):
        statuses += con.execute(
            "select 'lookalike ' || segment_code, case when status = 'fitted' then 'fitted' else message end"
            " from segments.segment_lookalike_fits order by segment_code"
        ).fetchall()
    return statuses


def orders_after_as_of(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """(as_of, staged orders on later local days, the latest order's local time), or None before a
    build has tags. Local days are in the project's business time zone (dbt_project.yml)."""
    if not _table_exists(con, "tags", "tag_catalog"):
        return None
    as_of = con.execute("select max(as_of) from tags.tag_catalog").fetchone()[0]
    orders = [
        f"select ordered_at from staging.{name}"
        for name in ("stg_ecommerce__orders", "stg_pos__orders")
        if _table_exists(con, "staging", name)
    ]
    if as_of is None or not orders:
        return None
    zone = business_time_zone()
    later, latest = con.execute(
        f"""
        select count(*) filter (where local_at::date > ?), max(local_at)
        from (select timezone(?, timezone('UTC', ordered_at)) as local_at from ({" union all ".join(orders)}))
        """,
        [as_of, zone],
    ).fetchone()
    return as_of, later, latest


def segments_not_ready(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(segment, why) for active segments whose inputs are missing; empty before segments are built."""
    if not _table_exists(con, "segments", "segment_definitions"):
        return []
    return con.execute(
        "select segment_code, input_status from segments.segment_definitions"
        " where status = 'active' and input_status != 'ready' order by segment_code"
    ).fetchall()


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    """True when the table or view schema.name exists."""
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
        ).fetchone()[0]
    )


def segment_reach(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int, str, int | None]]:
    """(segment, members, destination, reachable members or None when refused); empty before activation is built."""
    if not _table_exists(con, "activation", "segment_reach"):
        return []
    return con.execute(
        """
        select segment_code, members, destination, case when not is_refused then reachable_members end
        from activation.segment_reach
        order by segment_code, destination
        """
    ).fetchall()
