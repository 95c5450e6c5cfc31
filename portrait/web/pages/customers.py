"""用户画像 Customer 360: find a person by any identifier (phone, openid, member id, buyer id, ...)
or one_id; their golden record with each value's source, identifiers, tags, scores, segments and
timeline. Personal data is masked unless the role may see it in full; each full view is written
to the access log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from portrait.web import privacy
from portrait.web.app import current_user, render
from portrait.web.auth import User
from portrait.web.pages.tags import visible
from portrait.web.visibility import hidden

router = APIRouter()
TIMELINE_EVENTS = 50


def find(reader, text: str) -> list[str]:
    """The one_ids of the people holding `text` as an identifier of any type (normalised the way
    staging normalises it: reference.normalize_identifier), or `text` itself when it is a one_id."""
    text = text.strip()
    if not text:
        return []
    return [row["one_id"] for row in reader.rows(
        """
        select one_id from customers.customers where one_id = ?
        union
        select one_id from identity.customer_identities
        where identifier_value = reference.normalize_identifier(identifier_type, ?)
            or identifier_value = ?
        order by 1 limit 20
        """,
        [text, text, text],
    )]  # fmt: skip


def profile(reader, user: User, one_id: str) -> dict | None:
    """The person's 360 view as `user` may see it; None when there is no such one_id."""
    found = reader.rows("select * from customers.customers where one_id = ?", [one_id])
    if not found:
        return None
    customer = found[0]
    identifiers = reader.rows(
        "select identifier_type, identifier_value, is_shared, first_seen_at, last_seen_at, source_models"
        " from identity.customer_identities where one_id = ? order by identifier_type, identifier_value",
        [one_id],
    )
    record = [
        {"field": field, "value": value, "source": customer.get(f"{field}_source")}
        for field, value in customer.items()
        if not field.endswith("_source") and field != "one_id"
    ]
    if user.role.full_personal_data:
        shown = {row["field"] for row in record if privacy.is_personal(row["field"]) and row["value"] is not None}
        shown |= {row["identifier_type"] for row in identifiers}
        return_record, return_identifiers = record, identifiers
    else:
        shown = set()
        return_record = [{**row, "value": privacy.mask(row["field"], row["value"])} for row in record]
        return_identifiers = [
            {**row, "identifier_value": privacy.mask(row["identifier_type"], row["identifier_value"])}
            for row in identifiers
        ]
    return {
        "one_id": one_id,
        "record": return_record,
        "identifiers": return_identifiers,
        "personal_fields_shown": shown,
        "tags": reader.rows(
            "select catalog.tag_code, catalog.name_zh, catalog.name_en, catalog.category, tag_values.tag_value"
            " from tags.customer_tag_values as tag_values inner join tags.tag_catalog as catalog using (tag_code)"
            f" where tag_values.one_id = ? and {visible(user)} order by catalog.category, catalog.tag_code",
            [one_id],
        ),
        "scores": reader.rows("select * exclude (one_id) from scores.customer_scores where one_id = ?", [one_id]),
        "segments": [
            row
            for row in reader.rows(
                "select segment_code, variant, is_holdout, cast(as_of as varchar) as as_of"
                " from segments.segment_members where one_id = ? order by segment_code",
                [one_id],
            )
            if row["segment_code"] not in hidden(reader, user).segments
        ],  # fmt: skip
        "timeline": reader.rows(
            "select event_at, event_name, channel, sku_id, amount from customers.customer_events"
            f" where one_id = ? order by event_at desc limit {TIMELINE_EVENTS}",
            [one_id],
        ),
    }


@router.get("/customers")
def search(request: Request, user: Annotated[User, Depends(current_user)], q: str = ""):
    matches = find(request.app.state.reader, q)
    if len(matches) == 1:
        return RedirectResponse(f"/customers/{matches[0]}", status_code=303)
    return render(request, "customers.html", {"user": user, "page": "customers", "q": q, "matches": matches})


@router.get("/customers/{one_id}")
def customer(request: Request, one_id: str, user: Annotated[User, Depends(current_user)]):
    view = profile(request.app.state.reader, user, one_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"one_id {one_id!r}: no such person")
    if view["personal_fields_shown"]:
        request.app.state.access_log.record(
            user.name, user.role.name, "customer_360", one_id, view["personal_fields_shown"]
        )
    return render(request, "customer.html", {"user": user, "page": "customers", **view})
