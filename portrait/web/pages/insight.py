"""人群洞察 Segment insight: every segment's size and entries / exits across builds, the overlap
heat map, and per segment its TGI profile against its base, experiment groups and reach per
destination."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request

from portrait.web.app import current_user, language, render
from portrait.web.auth import User
from portrait.web.pages.tags import visible
from portrait.web.visibility import hidden

router = APIRouter()
TGI_ROWS = 20


@router.get("/segments")
def segment_list(request: Request, user: Annotated[User, Depends(current_user)]):
    reader, lang = request.app.state.reader, language(request)
    segments = reader.rows(
        f"""
        select definitions.segment_code, definitions.name_{lang} as name, definitions.segment_type, definitions.owner,
            definitions.status, sizes.members, sizes.entered, sizes.exited, cast(sizes.as_of as varchar) as as_of
        from segments.segment_definitions as definitions
        left join (
            select * from segments.segment_sizes
            qualify row_number() over (partition by segment_code order by as_of desc) = 1
        ) as sizes using (segment_code)
        order by definitions.priority, definitions.segment_code
        """
    )
    hide = hidden(reader, user)
    segments = [row for row in segments if row["segment_code"] not in hide.segments]
    overlap = reader.rows(
        "select segment_code, other_segment_code, round(jaccard, 3) as jaccard from segments.segment_overlap"
        " order by segment_code, other_segment_code"
    )
    overlap = [row for row in overlap if not {row["segment_code"], row["other_segment_code"]} & hide.segments]
    codes = sorted({row["segment_code"] for row in overlap})
    heat = {
        "kind": "heatmap",
        "labels": codes,
        "cells": [[codes.index(row["other_segment_code"]), codes.index(row["segment_code"]), row["jaccard"]]
                  for row in overlap if row["other_segment_code"] in codes],
    }  # fmt: skip
    return render(request, "segments.html", {"user": user, "page": "insight", "segments": segments, "heat": heat})


@router.get("/segments/{segment_code}")
def segment_page(request: Request, segment_code: str, user: Annotated[User, Depends(current_user)]):
    reader, lang = request.app.state.reader, language(request)
    found = reader.rows(
        f"select segment_code, name_{lang} as name, description, segment_type, owner, status, rule, experiment,"
        " reads_tags, defined_in from segments.segment_definitions where segment_code = ?",
        [segment_code],
    )
    if not found or segment_code in hidden(reader, user).segments:
        raise HTTPException(status_code=404, detail=f"segment {segment_code!r}: no such segment")
    sizes = reader.rows(
        "select cast(as_of as varchar) as label, members as value, entered, exited from segments.segment_sizes"
        " where segment_code = ? order by as_of",
        [segment_code],
    )
    tgi = reader.rows(
        f"""
        select comparison.tag_code || ' = ' || comparison.tag_value as label, comparison.tgi as value,
            comparison.segment_share, comparison.base_share
        from segments.segment_tag_comparison as comparison
        inner join tags.tag_catalog as catalog using (tag_code)
        where comparison.segment_code = ? and comparison.tgi is not null and {visible(user)}
        order by comparison.influence_rank limit {TGI_ROWS}
        """,
        [segment_code],
    )
    variants = reader.rows(
        "select coalesce(variant, '') as variant, is_holdout, count(*) as people from segments.segment_members"
        " where segment_code = ? group by all order by variant",
        [segment_code],
    )
    reach = reader.rows(
        "select destination, destination_kind, members, holdout_members, reachable_members, identifiers_written,"
        " is_refused, refusal_reason from activation.segment_reach where segment_code = ? order by destination",
        [segment_code],
    )
    return render(
        request,
        "segment.html",
        {"user": user, "page": "insight", "segment": found[0], "sizes": sizes, "tgi": tgi, "variants": variants,
         "reach": reach},
    )  # fmt: skip
