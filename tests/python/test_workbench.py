"""The workbench over HTTP (FastAPI's test client) on a snapshot of the test build: sign-in, every
page for every role, masking and sensitive tags by role, the access log, no outside reference,
and a newer snapshot read without a restart."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil

import duckdb
import pytest
import yaml
from dbt_runner import copy_project, run_dbt
from fastapi.testclient import TestClient
from portrait_command import run_portrait
from workbench_app import PASSWORD, ROLES, published_workbench

from portrait import snapshots
from portrait.bench import workbench as workbench_bench
from portrait.web import auth, privacy
from portrait.web.app import create_app
from portrait.web.data import SnapshotReader
from portrait.web.pages.lifecycle import flows


@pytest.fixture(scope="module")
def workbench(demo_build, tmp_path_factory):
    app, database, settings = published_workbench(demo_build, tmp_path_factory.mktemp("workbench"))
    yield app, database, settings
    app.state.reader.close()


def _client(app, role: str | None) -> TestClient:
    client = TestClient(app)
    if role:
        signed_in = client.post("/login", data={"name": role, "password": PASSWORD}, follow_redirects=False)
        assert signed_in.status_code == 303
    return client


def _snapshot_rows(app, sql: str) -> list[dict]:
    return app.state.reader.rows(sql)


def _pages(app) -> list[str]:
    """Every page of the workbench, with a person who has a phone, a name and several identifiers."""
    person = _snapshot_rows(
        app,
        "select one_id from customers.customers where phone is not null and member_name is not null"
        " order by identifiers desc, one_id limit 1",
    )[0]["one_id"]
    tag = _snapshot_rows(app, "select tag_code from tags.tag_catalog where coverage > 0 order by tag_code limit 1")
    return [
        "/",
        "/tags",
        "/tags?category=behaviour&q=order",
        f"/tags/{tag[0]['tag_code']}",
        "/tags/lifecycle_stage",
        "/segments/new",
        "/segments",
        "/segments/gold_and_above",
        "/lifecycle",
        "/campaigns",
        "/identity",
        "/customers",
        f"/customers/{person}",
        f"/customers/{person}?lang=en",
        "/?lang=en",
    ]


def test_pages_need_a_signed_in_account(workbench):
    app, _, _ = workbench
    anonymous = _client(app, None)
    for page in _pages(app):
        response = anonymous.get(page, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login?next=%2F")
    wrong = anonymous.post("/login", data={"name": "viewer", "password": "not it"}, follow_redirects=False)
    unknown = anonymous.post("/login", data={"name": "nobody", "password": PASSWORD}, follow_redirects=False)
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误" in wrong.text and "portrait_session" not in wrong.headers.get("set-cookie", "")


def test_sign_in_never_redirects_to_another_site(workbench):
    app, _, _ = workbench
    response = TestClient(app).post(
        "/login", data={"name": "viewer", "password": PASSWORD, "next": "//evil.example/"}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_loads_for_every_role_and_references_only_this_server(workbench, role):
    app, _, _ = workbench
    client = _client(app, role)
    for page in _pages(app):
        response = client.get(page)
        assert response.status_code == 200, (page, response.text[-2000:])
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
        references = re.findall(r'(?:src|href|action)="([^"]*)"', response.text)
        assert references and all(ref.startswith(("/", "?", "#")) for ref in references), (page, references)
    for asset in ("/static/htmx/htmx.min.js", "/static/echarts/echarts.min.js", "/static/app/app.js"):
        assert client.get(asset).status_code == 200


def _personal_values(app) -> set[str]:
    """Every phone, name, email and identifier value of the snapshot longer than 4 characters."""
    values = _snapshot_rows(
        app,
        "select phone as v from customers.customers union select member_name from customers.customers"
        " union select email from customers.customers union select identifier_value from identity.customer_identities",
    )
    return {row["v"] for row in values if row["v"] and len(row["v"]) > 4}


def _hidden_codes(app) -> set[str]:
    """The sensitive tags and the segments reading them (what viewers and marketers never see)."""
    tags = {
        row["tag_code"]
        for row in _snapshot_rows(app, "select tag_code from tags.tag_catalog where sensitivity = 'sensitive'")
    }
    segments = {row["segment_code"] for row in _snapshot_rows(
        app, "select segment_code, reads_tags from segments.segment_definitions"
    ) if set(row["reads_tags"] or []) & tags}  # fmt: skip
    return tags | segments


@pytest.mark.parametrize("role", ["viewer", "marketer"])
def test_masked_roles_never_receive_personal_data_or_sensitive_tags(workbench, role):
    app, _, settings = workbench
    client = _client(app, role)
    personal = _personal_values(app) | {
        str(row["birth_date"])
        for row in _snapshot_rows(app, "select birth_date from customers.customers where birth_date is not null")
    }
    hidden = _hidden_codes(app)
    assert personal and "is_minor" in hidden and "suppress_minors" in hidden
    people = [row["one_id"] for row in _snapshot_rows(
        app, "select one_id from customers.customers where phone is not null order by identifiers desc limit 5"
    )]  # fmt: skip
    minors = [row["one_id"] for row in _snapshot_rows(
        app, "select one_id from segments.segment_members where segment_code = 'suppress_minors' limit 3"
    )]  # fmt: skip
    pages = [*_pages(app), *[f"/customers/{one_id}" for one_id in people + minors], "/tags?q=", "/tags/age"]
    lines_before = len(privacy.AccessLog(settings.access_log).lines())
    for page in pages:
        text = client.get(page).text
        assert not [value for value in personal if value in text], page
        assert not [code for code in hidden if code in text], page
    for page in ["/tags/is_minor", "/segments/suppress_minors"]:
        assert client.get(page).status_code == 404
    assert len(privacy.AccessLog(settings.access_log).lines()) == lines_before  # nothing full was shown


def test_a_full_view_shows_personal_data_and_is_logged(workbench):
    app, _, settings = workbench
    person = _snapshot_rows(
        app, "select one_id, phone from customers.customers where phone is not null order by one_id limit 1"
    )[0]
    text = _client(app, "analyst").get(f"/customers/{person['one_id']}").text
    assert person["phone"] in text
    last = privacy.AccessLog(settings.access_log).lines()[-1]
    assert (last["user"], last["role"], last["action"], last["one_id"]) == (
        "analyst", "analyst", "customer_360", person["one_id"]
    )  # fmt: skip
    assert "phone" in last["fields"]


def test_a_search_by_phone_or_one_id_finds_the_person(workbench):
    app, _, _ = workbench
    person = _snapshot_rows(
        app, "select one_id, phone from customers.customers where phone is not null order by one_id limit 1"
    )[0]
    client = _client(app, "viewer")
    spaced = f"+86 {person['phone'][:3]} {person['phone'][3:7]} {person['phone'][7:]}"  # normalised as staging does
    for query in (person["phone"], spaced, person["one_id"]):
        response = client.get("/customers", params={"q": query}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == f"/customers/{person['one_id']}"
    assert "没有找到这个人" in client.get("/customers", params={"q": "13000000000"}).text
    assert client.get("/customers/OID-not-there").status_code == 404


def test_the_snapshot_connection_reads_nothing_but_the_snapshot(workbench):
    app, _, settings = workbench
    with pytest.raises(duckdb.PermissionException):
        app.state.reader.rows(f"select * from read_text('{settings.users_file}')")
    with pytest.raises(duckdb.Error):
        app.state.reader.rows("set enable_external_access = true")


def test_a_newer_snapshot_is_read_without_a_restart(workbench):
    app, database, settings = workbench
    client = _client(app, "viewer")
    before = app.state.reader.value("select count(*) from customers.customers")
    assert f"{before:,}" in client.get("/").text
    with duckdb.connect(str(database)) as con:
        con.execute("delete from customers.customers where one_id in (select one_id from customers.customers limit 7)")
    snapshots.publish(database, settings.snapshot_dir)
    assert f"{before - 7:,}" in client.get("/").text


def test_masks_keep_the_forms_chinese_apps_show():
    assert privacy.mask_phone("13812348000") == "138****8000"
    assert privacy.mask_name("张三") == "张*" and privacy.mask_name("欧阳娜娜") == "欧***"
    assert privacy.mask_email("li.lei@example.com") == "l*****@example.com"
    assert privacy.mask("openid", "oAbCdEfGh123") == "oAb*******23"
    assert privacy.mask("member_id", "M12") == "***" and privacy.mask("city", "上海市") == "上海市"


def test_accounts_are_hashed_in_a_private_file_and_bad_fields_are_named(tmp_path):
    accounts = auth.Accounts(tmp_path / "users.yml")
    accounts.add("li.na", "marketer", PASSWORD)
    stored = (tmp_path / "users.yml").read_text()
    assert PASSWORD not in stored and "$argon2id$" in stored
    assert (tmp_path / "users.yml").stat().st_mode & 0o777 == 0o600
    assert accounts.verify("li.na", PASSWORD).role.save_segments
    assert accounts.verify("li.na", "wrong password") is None
    for name, role, password, field in [
        ("Li Na", "viewer", PASSWORD, "name"),
        ("li", "owner", PASSWORD, "role"),
        ("li", "viewer", "short", "password"),
    ]:
        with pytest.raises(auth.AccountError, match=f"^{field}"):
            accounts.add(name, role, password)
    assert accounts.ensure_admin() is None  # accounts exist: no admin is made
    accounts.remove("li.na")
    assert accounts.names() == {} and accounts.ensure_admin() and accounts.names() == {"admin": "admin"}


def test_users_command_rejects_a_bad_role_in_one_line(tmp_path):
    result = run_portrait("users", "add", "li", "--role", "owner", "--password-stdin")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("portrait users add: error: argument --role: invalid choice: 'owner'")


def test_the_preview_of_each_starter_rule_counts_the_members_the_build_qualified(workbench):
    app, _, _ = workbench
    client = _client(app, "analyst")
    definitions = _snapshot_rows(
        app,
        "select segment_code, rule from segments.segment_definitions"
        " where status = 'active' and segment_type in ('dynamic', 'suppression') and rule is not null",
    )
    qualified = {row["segment_code"]: row["people"] for row in _snapshot_rows(
        app, "select segment_code, count(*) as people from segments.int_segment_qualified group by all"
    )}  # fmt: skip
    # SQL conditions are not drafted in the workbench (a 422, tested below): those rules are left out
    definitions = [definition for definition in definitions if '"sql":' not in definition["rule"]]
    assert len(definitions) >= 10
    for definition in definitions:
        response = client.post("/segments/preview", json={"rule": json.loads(definition["rule"])})
        assert response.status_code == 200, (definition["segment_code"], response.text)
        assert response.json()["members"] == qualified.get(definition["segment_code"], 0), definition["segment_code"]


def test_a_preview_counts_what_a_python_recount_of_the_profile_finds(workbench):
    app, _, _ = workbench
    profile = _snapshot_rows(app, "select lifecycle_stage, age from tags.customer_profile")
    expected = sum(1 for row in profile if row["lifecycle_stage"] in ("active", "new") and not (row["age"] or 0) > 40)
    rule = {
        "all": [{"tag": "lifecycle_stage", "in": ["active", "new"]}, {"not": {"tag": "age", "op": ">", "value": 40}}]
    }
    body = _client(app, "viewer").post("/segments/preview", json={"rule": rule}).json()
    assert body["members"] == expected > 0
    reach = {row["destination"]: row for row in body["reach"]}
    assert set(reach) == {
        row["destination"] for row in _snapshot_rows(app, "select destination from activation.activation_destinations")
    }
    assert all(0 <= row["reachable_members"] <= expected for row in reach.values())


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (
            {"rule": {"tag": "lifecycle_stage", "op": "=", "value": "activ"}},
            422,
            "field 'rule.value' 'activ' is not a value",
        ),
        ({"rule": {"tag": "no_such_tag", "op": "=", "value": 1}}, 422, "field 'rule.tag' names 'no_such_tag'"),
        ({"rule": {"event": "page_view", "window": "soon"}}, 422, "field 'rule.window' is 'soon'"),
        ({"rule": {"all": []}}, 422, "field 'rule.all' must be a non-empty list"),
        ({"rule": "lifecycle_stage = 'active'"}, 422, "field 'rule': a rule (a mapping) is needed"),
        (
            {"rule": {"tag": "is_minor", "op": "=", "value": True}},
            403,
            "field 'rule': tag 'is_minor' is not open to role viewer",
        ),
    ],
)
def test_a_wrong_draft_gets_the_builds_error_naming_the_field(workbench, body, status, message):
    app, _, _ = workbench
    response = _client(app, "viewer").post("/segments/preview", json=body)
    assert response.status_code == status and message in response.json()["detail"], response.text


def test_saving_needs_the_right_and_writes_a_definition_the_build_compiles(workbench, tmp_path):
    app, database, settings = workbench
    project = copy_project(tmp_path / "project")
    saving_app = create_app(dataclasses.replace(settings, project_dir=project))
    draft = {"code": "active_buyers_test", "name_zh": "活跃买家", "name_en": "Active buyers", "description": "test",
             "rule": {"tag": "lifecycle_stage", "op": "=", "value": "active"}}  # fmt: skip
    assert _client(saving_app, "viewer").post("/segments", json=draft).status_code == 403
    marketer = _client(saving_app, "marketer")
    templated = marketer.post("/segments", json={**draft, "name_zh": "{{ env_var('HOME') }}"})
    assert templated.status_code == 422 and "field 'name_zh': may not hold" in templated.json()["detail"]
    assert not (project / "models/segments/definitions/_workbench__segments.yml").exists()
    taken = marketer.post("/segments", json={**draft, "code": "gold_and_above"})
    assert taken.status_code == 422 and "field 'code' is defined twice" in taken.json()["detail"]
    saved = marketer.post("/segments", json=draft)
    assert saved.status_code == 200, saved.text
    assert marketer.post("/segments", json={**draft, "name_en": "Active buyers (2)"}).status_code == 200  # replaced
    written = yaml.safe_load((project / saved.json()["saved"]).read_text(encoding="utf-8"))
    definitions = written["models"][0]["config"]["meta"]["segment_definitions"]
    assert [(d["code"], d["name_en"], d["owner"]) for d in definitions] == [
        ("active_buyers_test", "Active buyers (2)", "marketer")
    ]
    compiled = run_dbt(["compile", "--select", "segment_definitions"], tmp_path / "raw", tmp_path / "work", project)
    assert compiled.success, compiled.failures()
    assert not (settings.project_dir / saved.json()["saved"]).exists()  # the project itself is untouched
    saving_app.state.reader.close()


def test_the_lifecycle_flow_matches_a_recount_of_the_stage_history(workbench, tmp_path):
    app, database, _ = workbench
    second = tmp_path / "two_builds.duckdb"
    shutil.copyfile(database, second)
    with duckdb.connect(str(second)) as con:  # a second build a week later: every 3rd person moves on
        day = con.execute("select max(valid_from) from tags.tag_history where tag_code = 'lifecycle_stage'").fetchone()[
            0
        ]
        con.execute(
            """
            create temp table moved as
            select entity, entity_id, tag_code, new_value as old_value,
                case new_value when 'active' then 'dormant' when 'dormant' then 'lost' else 'active' end as new_value
            from tags.tag_history
            where tag_code = 'lifecycle_stage' and valid_to is null and hash(entity_id) % 3 = 0
            """
        )
        con.execute(
            "update tags.tag_history set valid_to = ? + 7 where tag_code = 'lifecycle_stage' and valid_to is null"
            " and entity_id in (select entity_id from moved)",
            [day],
        )
        con.execute(
            "insert into tags.tag_history by name select *, 'changed' as change_kind, ? + 7 as valid_from,"
            " null::date as valid_to from moved",
            [day],
        )
        history = con.execute(
            "select entity_id, new_value, valid_from, valid_to from tags.tag_history where tag_code = 'lifecycle_stage'"
        ).fetchall()
    snapshots.publish(second, tmp_path / "snapshots")
    reader = SnapshotReader(tmp_path / "snapshots")
    start, end = day, day + dt.timedelta(days=7)

    def stage_on(entity: str, on: dt.date) -> str | None:
        return next((value for e, value, since, until in history if e == entity and since <= on
                     and (until is None or until > on)), None)  # fmt: skip

    expected: dict[tuple, int] = {}
    for entity in {row[0] for row in history}:
        before, after = stage_on(entity, start), stage_on(entity, end)
        if before or after:
            key = (before or "–", after or "–")
            expected[key] = expected.get(key, 0) + 1
    found = {(row["from_value"], row["to_value"]): row["people"] for row in flows(reader, str(start), str(end))}
    reader.close()
    assert found == expected and any(before != after for before, after in found)


def test_the_workbench_benchmark_times_every_page_and_every_starter_preview(workbench):
    _, database, _ = workbench
    figures = workbench_bench.run(database, rounds=2)
    assert len(figures["pages"]) == 10 and all(
        t["samples"] == 2 and t["p50_ms"] >= 0 for t in figures["pages"].values()
    )
    assert figures["preview"]["samples"] == 2 * figures["preview_rules"] > 0
    assert figures["preview"]["p95_ms"] >= figures["preview"]["p50_ms"] > 0
    assert "| segment preview" in workbench_bench.format_markdown(figures)


def test_sign_in_returns_to_the_page_asked_for_with_its_query(workbench):
    app, _, _ = workbench
    client = TestClient(app)
    asked = client.get("/tags?category=lifecycle", follow_redirects=False).headers["location"]
    assert asked == "/login?next=%2Ftags%3Fcategory%3Dlifecycle"
    signed_in = client.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "next": "/tags?category=lifecycle"},
        follow_redirects=False,
    )
    assert signed_in.headers["location"] == "/tags?category=lifecycle"
