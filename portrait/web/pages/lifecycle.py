"""生命周期流转 Lifecycle flow: a Sankey of people moving between lifecycle stages from one build
to another (tag_history of lifecycle_stage: each person's stage valid on each of the two days)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from portrait.web.app import current_user, render
from portrait.web.auth import User

router = APIRouter()
TAG = "lifecycle_stage"


def flows(reader, start: str, end: str) -> list[dict]:
    """[{from_value, to_value, people}]: each person's stage valid on `start` against on `end`
    (a person without a stage on a day counts as '–')."""
    return reader.rows(
        """
        with stages as (
            select entity_id, new_value, valid_from, valid_to from tags.tag_history
            where tag_code = ? and entity = 'customer'
        ),
        on_day as (
            select
                entity_id,
                max(new_value) filter (
                    where valid_from <= cast(? as date) and (valid_to is null or valid_to > cast(? as date))
                ) as from_value,
                max(new_value) filter (
                    where valid_from <= cast(? as date) and (valid_to is null or valid_to > cast(? as date))
                ) as to_value
            from stages group by entity_id
        )
        select coalesce(from_value, '–') as from_value, coalesce(to_value, '–') as to_value, count(*) as people
        from on_day where from_value is not null or to_value is not null
        group by all order by people desc
        """,
        [TAG, start, start, end, end],
    )


@router.get("/lifecycle")
def lifecycle(request: Request, user: Annotated[User, Depends(current_user)], start: str = "", end: str = ""):
    reader = request.app.state.reader
    days = [row["day"] for row in reader.rows(
        "select distinct cast(valid_from as varchar) as day from tags.tag_history where tag_code = ? order by 1", [TAG]
    )]  # fmt: skip
    end = end if end in days else (days[-1] if days else "")
    start = start if start in days and start < end else next((day for day in reversed(days) if day < end), end)
    moved = flows(reader, start, end) if start and start != end else []
    nodes = sorted(
        {f"{row['from_value']} · {start}" for row in moved} | {f"{row['to_value']} · {end}" for row in moved}
    )
    sankey = {
        "kind": "sankey",
        "nodes": nodes,
        "links": [
            {"source": f"{row['from_value']} · {start}", "target": f"{row['to_value']} · {end}", "value": row["people"]}
            for row in moved
        ],
    }  # fmt: skip
    return render(
        request,
        "lifecycle.html",
        {"user": user, "page": "lifecycle", "days": days, "start": start, "end": end, "flows": moved, "sankey": sankey},
    )
