"""标签目录 Tag catalogue: every tag the role may see, searchable and filtered by category, owner,
status and entity; per tag its definition, coverage, values, trend across builds, transitions,
lineage, governance findings and model card. Tags of sensitivity `sensitive` are left out for
roles without the `sensitive_tags` right (a 404, as for a tag that does not exist)."""

from __future__ import annotations

import json
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, HTTPException, Request

from portrait.web.app import current_user, render
from portrait.web.auth import User
from portrait.web.visibility import hidden

router = APIRouter()
FILTERS = ("category", "owner", "status", "entity")
# The definition fields shown as YAML, in the order the definition files write them.
DEFINITION_FIELDS = (
    "tag_code", "name_zh", "name_en", "description", "category", "entity", "value_type", "enum_values", "source",
    "time_window", "rule", "owner", "refresh", "status", "replaced_by", "sensitivity", "allowed_uses", "model_card",
)  # fmt: skip


def visible(user: User) -> str:
    """SQL condition on tag_catalog: the tags `user` may see."""
    return "true" if user.role.sensitive_tags else "coalesce(sensitivity, '') != 'sensitive'"


def catalogue(reader, user: User, q: str = "", chosen: dict | None = None) -> list[dict]:
    """The tags `user` may see matching the search text `q` (code, names, description) and the
    chosen filter values ({filter: value}; empty values ignored)."""
    conditions, parameters = [visible(user)], []
    if q:  # the text as typed: % and _ match themselves
        conditions.append(
            "contains(lower(tag_code || ' ' || name_zh || ' ' || name_en || ' ' || coalesce(description, '')), ?)"
        )
        parameters.append(q.lower())
    for name, value in (chosen or {}).items():
        if value:
            conditions.append(f"{name} = ?")
            parameters.append(value)
    rows = reader.rows(
        "select tag_code, name_zh, name_en, category, entity, value_type, method, owner, status, sensitivity,"
        " coverage, used_by from tags.tag_catalog where " + " and ".join(conditions) + " order by category, tag_code",
        parameters,
    )
    hide = hidden(reader, user)
    return [{**row, "used_by": [entry for entry in row["used_by"] or [] if hide.allows_lineage(entry)]} for row in rows]


def filter_choices(reader, user: User) -> dict[str, list[str]]:
    """{filter: its values among the visible tags, sorted}."""
    return {
        name: [row["v"] for row in reader.rows(
            f"select distinct {name} as v from tags.tag_catalog where {visible(user)} and {name} is not null order by 1"
        )]
        for name in FILTERS
    }  # fmt: skip


@router.get("/tags")
def tag_list(request: Request, user: Annotated[User, Depends(current_user)], q: str = ""):
    chosen = {name: request.query_params.get(name, "") for name in FILTERS}
    reader = request.app.state.reader
    context = {"user": user, "page": "tags", "q": q, "chosen": chosen, "tags": catalogue(reader, user, q, chosen)}
    if request.headers.get("HX-Request"):  # the filters ask for the table alone
        return render(request, "_tag_rows.html", context)
    return render(request, "tags.html", {**context, "choices": filter_choices(reader, user)})


def tag_detail(reader, user: User, tag_code: str) -> dict | None:
    """Everything the tag page shows, or None when the tag does not exist or is hidden from `user`."""
    found = reader.rows(f"select * from tags.tag_catalog where tag_code = ? and {visible(user)}", [tag_code])
    if not found:
        return None
    tag = found[0]
    definition = {
        name: json.loads(tag[name]) if name == "rule" else tag[name]
        for name in DEFINITION_FIELDS
        if tag.get(name) not in (None, [], "")
    }
    hide = hidden(reader, user)
    tag["used_by"] = [entry for entry in tag["used_by"] or [] if hide.allows_lineage(entry)]
    tag["reads_tags"] = [code for code in tag["reads_tags"] or [] if code not in hide.tags]
    return {
        "tag": tag,
        "values_rows": [{"label": row["value"], "value": row["entities"]} for row in tag["top_values"] or []],
        "definition_yaml": yaml.safe_dump(definition, allow_unicode=True, sort_keys=False, width=100),
        "trend": reader.rows(
            """
            with days as (select distinct valid_from as day from tags.tag_history where tag_code = ?)
            select cast(days.day as varchar) as label, count(history.entity_id) as value
            from days
            left join tags.tag_history as history
                on history.tag_code = ? and history.new_value is not null
                and history.valid_from <= days.day and (history.valid_to is null or history.valid_to > days.day)
            group by days.day order by days.day
            """,
            [tag_code, tag_code],
        ),
        "transitions": reader.rows(
            "select changed_on, from_value, to_value, entities from tags.tag_transitions where tag_code = ?"
            " order by changed_on desc, entities desc limit 50",
            [tag_code],
        ),
        "findings": reader.rows(
            "select check_name, owner, detail from tags.tag_governance where tag_code = ? order by check_name",
            [tag_code],
        ),
    }


@router.get("/tags/{tag_code}")
def tag_page(request: Request, tag_code: str, user: Annotated[User, Depends(current_user)]):
    detail = tag_detail(request.app.state.reader, user, tag_code)
    if detail is None:
        raise HTTPException(status_code=404, detail=f"tag {tag_code!r}: no such tag")
    return render(request, "tag.html", {"user": user, "page": "tags", **detail})
