"""The workbench in a real browser: Debian's Chromium driven by Playwright (`executable_path`; no
browser download). Each page loads without a console error and without a request leaving this
server, its charts render, the segment builder's live count changes as a condition is added and
saving writes a definition. A screenshot of every page goes to build/screenshots/."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
import uvicorn
import yaml
from dbt_runner import ROOT, copy_project
from workbench_app import PASSWORD, published_workbench

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture(scope="module")
def server(demo_build, tmp_path_factory):
    """The workbench served on a free local port (its project a copy, so saving writes there)."""
    if CHROMIUM is None:
        pytest.fail("Chromium is not installed: apt-get install chromium (.ci/run installs it when missing)")
    base = tmp_path_factory.mktemp("browser")
    app, _, _ = published_workbench(demo_build, base, project_dir=copy_project(base / "project"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.05)
    app.state.compiler.warm()
    yield app, f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
    app.state.reader.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def _signed_in_page(browser, base_url: str, role: str):
    """A new page signed in as `role`, recording console errors and every request's URL."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.errors, page.requested = [], []
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("request", lambda request: page.requested.append(request.url))
    page.goto(f"{base_url}/login")
    page.fill("input[name=name]", role)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


def test_every_page_loads_cleanly_renders_its_charts_and_stays_on_this_server(server, browser):
    app, base_url = server
    person = app.state.reader.value("select one_id from customers.customers order by identifiers desc, one_id limit 1")
    page = _signed_in_page(browser, base_url, "analyst")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "overview": ("/", 2),
        "tag_catalogue": ("/tags", 0),
        "tag": ("/tags/lifecycle_stage", 2),
        "segment_builder": ("/segments/new", 0),
        "segment_insight": ("/segments", 1),
        "segment": ("/segments/gold_and_above", 2),
        "customer_360": (f"/customers/{person}", 0),
        "lifecycle_flow": ("/lifecycle", 0),
        "campaign_results": ("/campaigns", 1),
        "identity": ("/identity", 1),
    }
    for name, (path, charts) in pages.items():
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        if charts:
            page.wait_for_selector(".chart svg")
            assert page.locator(".chart svg").count() == charts, name
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert page.errors == [], (name, page.errors)
    assert page.requested and all(url.startswith(base_url) for url in page.requested), page.requested
    page.close()


def test_the_catalogue_filters_without_a_reload(server, browser):
    _, base_url = server
    page = _signed_in_page(browser, base_url, "viewer")
    page.goto(f"{base_url}/tags")
    rows = page.locator("#tag-rows tr").count()
    page.select_option("select[name=category]", "lifecycle")
    expect(page.locator("#tag-rows tr")).not_to_have_count(rows)  # polls (a page script would break the CSP)
    assert 0 < page.locator("#tag-rows tr").count() < rows and page.errors == []
    page.close()


def test_the_live_count_follows_the_conditions_and_saving_writes_a_definition(server, browser):
    app, base_url = server
    page = _signed_in_page(browser, base_url, "marketer")
    page.goto(f"{base_url}/segments/new")
    page.click("#rule-editor > .group > .adders [data-add=tag]")
    condition = page.locator("#rule-editor .condition").first
    condition.locator("select[aria-label=tag]").select_option("lifecycle_stage")
    condition.locator("select[aria-label=value]").select_option("active")
    page.wait_for_selector("#preview-members")
    first = page.inner_text("#preview-members")
    page.select_option("#rule-editor > .group > select[aria-label=mode]", "any")
    page.click("#rule-editor > .group > .adders [data-add=tag]")
    second = page.locator("#rule-editor .condition").nth(1)
    second.locator("select[aria-label=tag]").select_option("lifecycle_stage")
    second.locator("select[aria-label=value]").select_option("new")
    expect(page.locator("#preview-members")).not_to_have_text(first)
    members = int(page.inner_text("#preview-members").replace(",", ""))
    expected = app.state.reader.value(
        "select count(*) from tags.customer_profile where lifecycle_stage in ('active', 'new')"
    )
    assert members == expected
    page.screenshot(path=str(SCREENSHOTS / "segment_builder_preview.png"), full_page=True)
    page.fill("input[name=code]", "active_or_new_browser")
    page.fill("input[name=name_zh]", "活跃或新客")
    page.fill("input[name=name_en]", "Active or new")
    page.fill("input[name=description]", "saved from the browser test")
    page.click("#save-segment button[type=submit]")
    page.wait_for_selector("#save-result.ok")
    written = yaml.safe_load(
        (app.state.compiler.project_dir / "models/segments/definitions/_workbench__segments.yml").read_text()
    )
    saved = written["models"][0]["config"]["meta"]["segment_definitions"][0]
    assert saved["code"] == "active_or_new_browser"
    assert saved["rule"] == {"any": [{"tag": "lifecycle_stage", "op": "=", "value": "active"},
                                     {"tag": "lifecycle_stage", "op": "=", "value": "new"}]}  # fmt: skip
    assert page.errors == []
    page.close()
