"""人群圈选 Segment builder: a visual editor of a segment's rule (tags with the operators segment
YAML supports, events and purchases in a window, other segments, all / any / not nesting) with a
live preview of its size and reach per destination, and "save", which writes the definition to
models/segments/definitions/_workbench__segments.yml for the next build.

The preview compiles the draft with the build's own macros (portrait.web.preview, macro
segment_preview_sql) and runs it on the current snapshot; a wrong draft gets the definition error
the build would give, naming the field (HTTP 422)."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from portrait.web.app import current_user, language, render
from portrait.web.auth import User
from portrait.web.pages.tags import visible
from portrait.web.preview import DraftError
from portrait.web.visibility import hidden

router = APIRouter()
WORKBENCH_GROUP = "workbench"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
OPERATORS = ["=", "!=", ">", ">=", "<", "<="]
_SAVING = threading.Lock()


def builder_choices(reader, user: User, lang: str) -> dict[str, Any]:
    """What the editor offers: customer tags the role may see (with enum values), event names,
    purchase columns with their most common values, existing segments; `name` in language `lang`."""
    tags = reader.rows(
        f"select tag_code, name_{lang} as name, value_type, enum_values from tags.tag_catalog"
        f" where entity = 'customer' and status in ('active', 'deprecated') and {visible(user)}"
        " order by category, tag_code"
    )
    events = [row["event_name"] for row in reader.rows(
        "select event_name from customers.customer_events group by all order by count(*) desc"
    )]  # fmt: skip
    purchase_columns = {
        column: [row["v"] for row in reader.rows(
            f"select {column} as v from customers.customer_order_items where {column} is not null"
            " group by all order by count(*) desc limit 30"
        )]
        for column in ("category_l1", "category_l2", "brand", "channel")
    }  # fmt: skip
    hide = hidden(reader, user)
    segments = [row for row in reader.rows(
        f"select segment_code, name_{lang} as name from segments.segment_definitions"
        " where status = 'active' and segment_type in ('dynamic', 'suppression') order by segment_code"
    ) if row["segment_code"] not in hide.segments]  # fmt: skip
    return {"tags": tags, "events": events, "purchase_columns": purchase_columns, "segments": segments,
            "operators": OPERATORS}  # fmt: skip


def preview(request: Request, draft: dict) -> dict:
    """{members, reach: [{destination, destination_kind, reachable_members, is_refused,
    refusal_reason}], compile_ms, query_ms} of a draft on the current snapshot; DraftError when
    it does not compile."""
    reader = request.app.state.reader
    as_of = str(reader.value("select as_of_date from identity.identity_run_summary"))
    started = time.perf_counter()
    sql = request.app.state.compiler.segment_preview_sql(draft, as_of)
    compiled = time.perf_counter()
    rows = reader.rows(sql)
    finished = time.perf_counter()
    return {
        "members": rows[0]["members"] if rows else 0,
        "reach": [
            {
                key: row[key]
                for key in ("destination", "destination_kind", "reachable_members", "is_refused", "refusal_reason")
            }
            for row in sorted(rows, key=lambda row: row["destination"])
        ],
        "compile_ms": round(1000 * (compiled - started)),
        "query_ms": round(1000 * (finished - compiled)),
    }


def _draft(body: Any) -> dict:
    """The draft of a request body: a mapping with a rule, no SQL condition (SQL is written in the
    definition files, reviewed like code, never run from the workbench) and no template syntax in
    any text (definition files are rendered by dbt's Jinja). 422 naming the field otherwise."""
    if not isinstance(body, dict) or not isinstance(body.get("rule"), dict):
        raise HTTPException(status_code=422, detail="field 'rule': a rule (a mapping) is needed")
    _check_text(body, "")
    return body


def _check_text(value: Any, path: str) -> None:
    """422 naming the field for an `sql` condition or a text holding {{, {% or {#."""
    if isinstance(value, dict):
        for key, item in value.items():
            field = f"{path}.{key}" if path else str(key)
            if key == "sql":
                raise HTTPException(
                    status_code=422,
                    detail=f"field {field!r}: SQL conditions are written in definition files, not in the workbench",
                )
            _check_text(item, field)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_text(item, f"{path}[{index}]")
    elif isinstance(value, str) and any(mark in value for mark in ("{{", "{%", "{#")):
        raise HTTPException(status_code=422, detail=f"field {path!r}: may not hold {{{{, {{% or {{#")


@router.get("/segments/new")
def builder(request: Request, user: Annotated[User, Depends(current_user)]):
    choices = builder_choices(request.app.state.reader, user, language(request))
    return render(request, "segment_builder.html", {"user": user, "page": "segments", "choices": choices})


@router.post("/segments/preview")
def preview_endpoint(request: Request, user: Annotated[User, Depends(current_user)], body: Annotated[Any, Body()]):
    draft = _draft(body)
    _check_visible(request, user, draft)
    try:
        return preview(request, {"rule": draft["rule"], **({"type": draft["type"]} if draft.get("type") else {})})
    except DraftError as error:
        return JSONResponse({"detail": str(error)}, status_code=422)


def _named(condition: Any, kind: str) -> set[str]:
    """Every code a rule names under `kind` ('tag' or 'segment'), nested all / any / not included."""
    if isinstance(condition, dict):
        own = {condition[kind]} if isinstance(condition.get(kind), str) else set()
        return own | {code for value in condition.values() for code in _named(value, kind)}
    if isinstance(condition, list):
        return {code for item in condition for code in _named(item, kind)}
    return set()


def _check_visible(request: Request, user: User, draft: dict) -> None:
    """403 naming it when the draft reads a tag, or a segment reading a tag, the role may not see."""
    hide = hidden(request.app.state.reader, user)
    for kind, codes in (("tag", hide.tags), ("segment", hide.segments)):
        named = sorted(_named(draft["rule"], kind) & codes)
        if named:
            raise HTTPException(
                status_code=403, detail=f"field 'rule': {kind} {named[0]!r} is not open to role {user.role.name}"
            )


def definitions_file(project_dir: Path) -> Path:
    """The definitions file the workbench writes (and its one-line model beside it)."""
    return project_dir / "models" / "segments" / "definitions" / f"_{WORKBENCH_GROUP}__segments.yml"


def save_definition(project_dir: Path, definition: dict) -> Path:
    """Appends (or replaces, by code) `definition` in the workbench's definitions file, creating it
    and its model segment_definitions_workbench.sql the first time; returns the file."""
    path = definitions_file(project_dir)
    model = path.with_name(f"segment_definitions_{WORKBENCH_GROUP}.sql")
    if path.is_file():
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    else:
        document = {"version": 2, "models": [{
            "name": f"segment_definitions_{WORKBENCH_GROUP}",
            "description": "Segments saved from the workbench's segment builder.",
            "config": {"meta": {"segment_definitions": []}},
        }]}  # fmt: skip
    try:
        definitions = document["models"][0]["config"]["meta"]["segment_definitions"]
    except (TypeError, KeyError, IndexError):
        raise HTTPException(
            status_code=500, detail=f"{path} is not a segment definitions file: fix or remove it"
        ) from None
    definitions[:] = [kept for kept in definitions if kept.get("code") != definition["code"]] + [definition]
    if not model.is_file():  # the model first: a definitions file never stands without it
        model.write_text("{{ segments_defined_here() }}\n", encoding="utf-8")
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    partial.replace(path)
    return path


def _relative(path: Path, compiler) -> str:
    return str(path.relative_to(compiler.project_dir))


@router.post("/segments")
def save(request: Request, user: Annotated[User, Depends(current_user)], body: Annotated[Any, Body()]):
    if not user.role.save_segments:
        raise HTTPException(status_code=403, detail=f"role {user.role.name} may not save segments")
    draft = _draft(body)
    for field in ("code", "name_zh", "name_en", "description"):
        if not isinstance(draft.get(field), str) or not draft[field].strip():
            raise HTTPException(status_code=422, detail=f"field {field!r}: needed")
    if not CODE_PATTERN.fullmatch(draft["code"]):
        raise HTTPException(status_code=422, detail="field 'code': lower-case letters, digits and underscores")
    _check_visible(request, user, draft)
    definition = {
        "code": draft["code"], "name_zh": draft["name_zh"].strip(), "name_en": draft["name_en"].strip(),
        "description": draft["description"].strip(), "owner": user.name, "rule": draft["rule"],
    }  # fmt: skip
    compiler = request.app.state.compiler
    try:  # the build's validator (a code defined in another file too): it must compile before it is written
        figures = preview(
            request, {**definition, "defined_in": _relative(definitions_file(compiler.project_dir), compiler)}
        )
    except DraftError as error:
        return JSONResponse({"detail": str(error)}, status_code=422)
    with _SAVING:  # one save at a time: two at once would each rewrite the file without the other's
        path = save_definition(compiler.project_dir, definition)
    compiler.forget()
    return {"saved": _relative(path, compiler), "code": definition["code"], **figures}
