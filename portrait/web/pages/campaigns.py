"""营销复盘 Campaign results: per campaign and variant the funnel (audience, delivered, opened,
clicked, converted, revenue) and the conversion-rate lift against the holdout with its 95%
interval (campaign_results, see docs/campaigns.md); per campaign the tag values with the best
conversion (tag ROI, campaign_tag_results)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from portrait.web.app import current_user, render
from portrait.web.auth import User
from portrait.web.pages.tags import visible
from portrait.web.visibility import hidden

router = APIRouter()
TAG_ROWS = 15


@router.get("/campaigns")
def campaigns(request: Request, user: Annotated[User, Depends(current_user)], campaign: str = ""):
    reader = request.app.state.reader
    results = reader.rows(
        "select campaign_id, segment_code, coalesce(variant, '') as variant, is_holdout, channels, audience, delivered,"
        " opened, clicked, converted, revenue, conversion_rate, holdout_conversion_rate, conversion_rate_lift,"
        " conversion_rate_lift_lower_95, conversion_rate_lift_upper_95, is_lift_significant"
        " from campaigns.campaign_results order by campaign_id, is_holdout, variant"
    )
    hide = hidden(reader, user)
    results = [row for row in results if row["segment_code"] not in hide.segments]
    ids = sorted({row["campaign_id"] for row in results})
    chosen = campaign if campaign in ids else (ids[0] if ids else "")
    treated = [row for row in results if row["campaign_id"] == chosen and not row["is_holdout"]]
    funnel = [
        {"label": step, "value": sum(row[step] or 0 for row in treated)}
        for step in ("audience", "delivered", "opened", "clicked", "converted")
    ]
    tag_roi = reader.rows(
        f"""
        select results.tag_code, results.tag_value, results.audience, results.conversion_rate,
            results.conversion_rate_lift, results.revenue_per_member
        from campaigns.campaign_tag_results as results
        inner join tags.tag_catalog as catalog using (tag_code)
        where results.campaign_id = ? and results.audience >= 30 and {visible(user)}
        order by results.conversion_rate_lift desc nulls last limit {TAG_ROWS}
        """,
        [chosen],
    )
    return render(
        request,
        "campaigns.html",
        {"user": user, "page": "campaigns", "ids": ids, "chosen": chosen, "results": results, "funnel": funnel,
         "tag_roi": tag_roi},
    )  # fmt: skip
