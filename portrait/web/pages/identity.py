"""身份 Identity: the cluster size histogram, hubs, blocked values, the largest clusters and the
one_ids merged or split since the last build. Identifier values are masked for roles without
the full personal-data right."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from portrait.web import privacy
from portrait.web.app import current_user, render
from portrait.web.auth import User

router = APIRouter()
LARGEST = 20


def _node(node_id: str, user: User) -> str:
    """`type:value` of an identity graph node, its value masked unless the role sees full data."""
    identifier_type, _, value = node_id.partition(":")
    return node_id if user.role.full_personal_data else f"{identifier_type}:{privacy.mask(identifier_type, value)}"


@router.get("/identity")
def identity(request: Request, user: Annotated[User, Depends(current_user)]):
    reader = request.app.state.reader
    summary = reader.rows("select * exclude (cluster_size_histogram) from identity.identity_run_summary")
    histogram = reader.rows(
        "select cast(bucket.identifiers as varchar) as label, bucket.clusters as value"
        " from identity.identity_run_summary, unnest(cluster_size_histogram) as histogram(bucket)"
        " order by bucket.identifiers"
    )
    hubs = [{**row, "node_id": _node(row["node_id"], user)} for row in reader.rows(
        "select node_id, busiest_neighbour_type, distinct_neighbours, hub_max_links, hub_reason"
        " from identity.identity_hubs order by distinct_neighbours desc, node_id"
    )]  # fmt: skip
    blocked = [{**row, "node_id": _node(row["node_id"], user)} for row in reader.rows(
        "select node_id, block_reason, observations from identity.identity_blocked_identifiers"
        " order by observations desc, node_id"
    )]  # fmt: skip
    largest = reader.rows(
        f"select one_id, identifiers, shared_identifiers, has_left_out_links from identity.identity_clusters"
        f" order by identifiers desc, one_id limit {LARGEST}"
    )
    changes = reader.rows(
        "select old_one_id, new_one_id, change_kind, reason, identifiers_moved, cast(as_of_date as varchar) as as_of"
        " from identity.identity_id_changes order by as_of_date desc, old_one_id limit 100"
    )
    if user.role.full_personal_data and (hubs or blocked):
        shown = {row["node_id"].partition(":")[0] for row in hubs + blocked}
        request.app.state.access_log.record(user.name, user.role.name, "identity", None, shown)
    return render(
        request,
        "identity.html",
        {"user": user, "page": "identity", "summary": summary[0] if summary else {}, "histogram": histogram,
         "hubs": hubs, "blocked": blocked, "largest": largest, "changes": changes},
    )  # fmt: skip
