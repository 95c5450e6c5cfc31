"""The source registry (var source_registry in dbt_project.yml): a new source is its raw folder,
one registry block beside its source properties, and its staging models; identity, the timeline
and the quarantine accounting pick it up with no other change. Checked in a project copy that adds
a Douyin live-comment feed carrying a WeChat openid."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cases import CASE_AS_OF, CaseBuild
from dbt_runner import copy_project, run_dbt

SOURCES_YML = """version: 2

sources:
  - name: douyin
    description: "Comments written during Douyin live streams of the brand."
    schema: raw
    tables:
      - name: live_comments
        identifier: douyin_live_comments
        description: "One row per comment. Raw folder `douyin_live_comments/`."
        columns:
          - {name: comment_id, description: "Comment id."}
          - {name: appid, description: "Mini-program the viewer is signed in to."}
          - {name: openid, description: "Viewer's openid within appid."}
          - {name: comment_text, description: "What the viewer wrote."}
          - {name: commented_at, description: "Time of the comment."}
"""

BASE_MODEL = """{{ config(
    materialized='incremental', incremental_strategy='landed_rows', on_schema_change='fail', access='private'
) }}
-- depends_on: {{ ref('identifier_types') }}

with source as (

    {{ landed_rows(source('douyin', 'live_comments')) }}

),

renamed as (

    select
        {{ clean_text('comment_id') }} as comment_id,
        {{ clean_text('appid') }} as appid,
        {{ normalize_identifier("'openid'", 'openid') }} as openid,
        {{ clean_text('comment_text') }} as comment_text,
        {{ parse_timestamp('commented_at') }} as commented_at,
        {{ raw_record() }}
    from source

),

validated as (

    {{ validate_rows(
        'renamed',
        checks=[
            ['missing_comment_id', "comment_id is null"],
            ['missing_openid', "openid is null or appid is null"],
            ['invalid_commented_at', unparsed('commented_at', 'commented_at')]
        ],
        newest_first='commented_at desc nulls last'
    ) }}

)

select * from validated
"""

STAGING_MODEL = """with base as (

    select * from {{ ref('base_douyin__live_comments') }}

),

staged as (

    select {{ star_except(validate_rows_columns()) }}
    from base
    where row_status = 'staged'

)

select * from staged
"""

REGISTRY_BLOCK = """    douyin.live_comments:
      key: [comment_id]
      observed_at: commented_at
      identifiers: {openid: "appid || '/' || openid"}
      events:
        - {event_name: live_comment, channel: douyin, at: commented_at, reference: comment_id}
"""

MEMBER = {"member_id": "M1", "phone": "13912345678", "registered_at": "2024-01-05 10:00:00"}
WECHAT_USER = {"appid": "wxmini", "app_type": "miniprogram", "openid": "o-linked", "phone": "13912345678",
               "updated_at": "2024-02-01 10:00:00"}  # fmt: skip
COMMENTS = [
    # comment_id, appid, openid, comment_text, commented_at
    ["C1", "wxmini", "o-linked", "这款精华适合油皮吗", "2024-03-01 20:00:00"],
    ["C2", "wxmini", "o-linked", "已下单", "2024-03-01 20:05:00"],
    ["C3", "wxmini", "o-alone", "价格多少", "2024-03-02 21:00:00"],
    ["C4", "wxmini", "", "没有openid", "2024-03-02 21:01:00"],  # quarantined: missing_openid
    ["C5", "wxmini", "o-linked", "晚于as_of", "2024-07-02 21:00:00"],  # after as_of: not in the timeline
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


def _source_columns(project: Path, source: str, table: str) -> list[str]:
    import yaml

    properties = yaml.safe_load((project / "models" / "staging" / source / f"_{source}__sources.yml").read_text())
    tables = properties["sources"][0]["tables"]
    return [column["name"] for column in next(t for t in tables if t["name"] == table)["columns"]]


def _add_douyin_source(project: Path) -> None:
    folder = project / "models" / "staging" / "douyin"
    (folder / "base").mkdir(parents=True)
    (folder / "_douyin__sources.yml").write_text(SOURCES_YML, encoding="utf-8")
    (folder / "base" / "base_douyin__live_comments.sql").write_text(BASE_MODEL, encoding="utf-8")
    (folder / "stg_douyin__live_comments.sql").write_text(STAGING_MODEL, encoding="utf-8")
    settings = project / "dbt_project.yml"
    text = settings.read_text(encoding="utf-8")
    anchor = "  source_registry:\n"
    assert anchor in text
    settings.write_text(text.replace(anchor, anchor + REGISTRY_BLOCK, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def douyin(tmp_path_factory):
    base = tmp_path_factory.mktemp("douyin")
    project = copy_project(base / "project")
    _add_douyin_source(project)
    raw = base / "raw"
    members = _source_columns(project, "crm", "members")
    _write(raw / "crm_members" / "members.csv", members, [[MEMBER.get(c, "") for c in members]])
    users = _source_columns(project, "wechat", "users")
    _write(raw / "wechat_users" / "users.csv", users, [[WECHAT_USER.get(c, "") for c in users]])
    _write(
        raw / "douyin_live_comments" / "comments.csv",
        ["comment_id", "appid", "openid", "comment_text", "commented_at"],
        COMMENTS,
    )
    work = base / "work"
    run = run_dbt(["build", "--vars", f"{{as_of: '{CASE_AS_OF}'}}"], raw, work, project)
    return CaseBuild(raw, work, run)


def _one_id(build: CaseBuild, node_id: str) -> str:
    return build.scalar("select one_id from identity.identity_one_ids where node_id = ? and is_current", [node_id])


def test_a_registered_source_builds_with_no_other_change(douyin):
    assert douyin.run.success, douyin.run.failures()


def test_its_identifiers_reach_the_identity_graph(douyin):
    observed = douyin.query(
        "select node_id, count(*) from identity.identifier_observations"
        " where source_model = 'stg_douyin__live_comments' group by node_id order by node_id"
    )
    assert observed == [("openid:wxmini/o-alone", 1), ("openid:wxmini/o-linked", 3)]
    # the openid the WeChat user shares with the member (through the phone) is the member's
    assert _one_id(douyin, "openid:wxmini/o-linked") == _one_id(douyin, "member_id:M1")
    assert _one_id(douyin, "openid:wxmini/o-alone") not in (None, _one_id(douyin, "member_id:M1"))


def test_its_events_reach_the_timeline_of_the_right_person(douyin):
    member = _one_id(douyin, "member_id:M1")
    alone = _one_id(douyin, "openid:wxmini/o-alone")
    events = douyin.query(
        "select one_id, reference_id, channel from customers.customer_events"
        " where event_name = 'live_comment' order by reference_id"
    )
    assert events == [(member, "C1", "douyin"), (member, "C2", "douyin"), (alone, "C3", "douyin")]


def test_its_rows_are_accounted_for_and_bad_ones_quarantined(douyin):
    counts = dict(
        douyin.query(
            "select coalesce(quarantine_reason, row_status), row_count::int from staging.staging_row_counts"
            " where source_name = 'douyin_live_comments'"
        )
    )
    assert counts == {"staged": 4, "missing_openid": 1}
    quarantined = douyin.query(
        "select quarantine_reason, raw_record from staging.quarantined_rows where source_name = 'douyin_live_comments'"
    )
    assert len(quarantined) == 1 and quarantined[0][0] == "missing_openid" and "C4" in quarantined[0][1]


def test_a_wrong_registry_entry_names_the_source_and_the_field(tmp_path):
    project = copy_project(tmp_path / "project")
    settings = project / "dbt_project.yml"
    text = settings.read_text(encoding="utf-8")
    good = "identifiers: {member_id: member_id, phone: phone, email: email}"
    assert good in text
    settings.write_text(text.replace(good, "identifiers: {fingerprint: member_id, phone: phone}", 1), encoding="utf-8")
    run = None
    try:
        run = run_dbt(
            ["build", "--select", "identifier_types", "identifier_observations"], tmp_path, tmp_path / "w", project
        )
        message = "\n".join(run.failures() + run.messages)
    except Exception as error:  # dbt raises the compilation error of the selected node
        message = str(error)
    assert run is None or not run.success
    assert "Source definition 'crm.members'" in message, message[-1500:]
    assert "field 'identifiers.fingerprint'" in message and "not an identifier type" in message, message[-1500:]
