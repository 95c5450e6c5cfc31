"""概览 Overview: the snapshot read, customers, identity figures, lifecycle and RFM distributions,
quarantined rows by reason, tag governance findings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from portrait.web.app import current_user, render
from portrait.web.auth import User

router = APIRouter()


def figures(reader) -> dict:
    """The overview's figures from the current snapshot."""
    path, _ = reader.current()
    identity = reader.rows("select * exclude (cluster_size_histogram) from identity.identity_run_summary")
    return {
        "snapshot": path.name,
        "published_at": dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "identity": identity[0] if identity else {},
        "customers": reader.value("select count(*) from customers.customers"),
        "members": reader.value("select count(*) from customers.customers where is_member"),
        "lifecycle": reader.rows(
            "select lifecycle_stage as label, count(*) as value from scores.customer_lifecycle"
            " group by all order by 2 desc"
        ),
        "rfm": reader.rows(
            "select rfm_segment as label, count(*) as value from scores.customer_rfm group by all order by 2 desc"
        ),
        "quarantine": reader.rows(
            "select source_name, quarantine_reason, count(*) as rows from staging.quarantined_rows"
            " group by all order by rows desc, source_name, quarantine_reason"
        ),
        "governance": reader.rows(
            "select tag_code, check_name, owner, detail from tags.tag_governance order by tag_code, check_name"
        ),
    }


@router.get("/")
def overview(request: Request, user: Annotated[User, Depends(current_user)]):
    return render(request, "overview.html", {"user": user, "page": "overview", **figures(request.app.state.reader)})
