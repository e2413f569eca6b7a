"""The explorer at / and GraphiQL at /graphql, driven in a real headless Chromium."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest

from browser.harness import GRAPHIQL_ASSETS, Screenshot, give_up
from server.explorer import graphiql_html

# Slow: a server in a process of its own, and Chromium.
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Request, Route

RELATION_1957 = "Belgium and Malaysia establish diplomatic relations"
VISIT_2025 = "Prime Minister Anwar Ibrahim's working visit to Belgium"
BRUSSELS = "Embassy of Malaysia, Brussels"


def open_explorer(page: Page, address: str = "/") -> None:
    page.goto(address)
    page.locator("main h2").wait_for()


def event_details(page: Page, title: str) -> Locator:
    """The disclosure of the event with this title (not of those that merely mention it)."""
    return page.locator("details").filter(has=page.locator("summary", has_text=title))


def view_requests(page: Page, address: str) -> list[str]:
    """The operations the page POSTs to /graphql while a view opens, country pickers aside."""
    sent: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/graphql"):
            query = json.loads(request.post_data or "{}").get("query", "")
            if "CountryPage" not in query:
                sent.append(query)

    page.on("request", record)
    open_explorer(page, address)
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", record)
    return sent


def test_the_explorer_opens_on_belgium_and_malaysia(
    page: Page, problems: list[str], screenshot: Screenshot
) -> None:
    open_explorer(page)
    assert page.locator("main h2").inner_text() == "Belgium – Malaysia"
    assert "Diplomatic relations since 1957" in page.locator(".lede").inner_text()
    assert page.get_by_label("Country", exact=True).input_value() == "BE"
    assert page.get_by_label("and country").input_value() == "MY"
    screenshot("explorer-belgium-malaysia")
    assert problems == []


def test_the_timeline_shows_the_1957_and_2025_events(page: Page, screenshot: Screenshot) -> None:
    open_explorer(page)
    first = event_details(page, RELATION_1957)
    assert first.locator("time").inner_text() == "1957"
    latest = event_details(page, VISIT_2025)
    assert latest.locator("time").inner_text() == "19 Jan 2025 – 20 Jan 2025"
    assert page.locator(".dot").count() == 13

    page.get_by_role("button", name=f"19 Jan 2025: {VISIT_2025}").click()
    assert latest.get_attribute("open") is not None
    body = latest.locator(".event-body")
    assert "Anwar Ibrahim" in body.inner_text()
    assert "visitor" in body.inner_text()
    assert "200" in body.locator(".figures").inner_text()
    page.get_by_role("button", name=f"1957: {RELATION_1957}").click()
    assert first.get_attribute("open") is not None
    screenshot("timeline-events-open")


def test_the_brussels_embassy_shows_its_two_ambassadors(page: Page, screenshot: Screenshot) -> None:
    open_explorer(page)
    card = page.locator("article.post", has=page.get_by_role("heading", name=BRUSSELS))
    heads = card.locator(".heads").inner_text()
    assert "Peter Stephen Lai" in heads
    assert "Mohd Khalid Abbasi Abdul Razak" in heads
    assert "1975 – end unknown" in heads
    assert "Oct 2023 – today" in heads
    assert "Avenue de Tervueren" in card.inner_text()
    assert "European Union" in card.inner_text()

    lane = page.locator(".post-lane", has_text=BRUSSELS)
    lai = lane.locator(".bar-row", has_text="Peter Stephen Lai").locator(".bar")
    razak = lane.locator(".bar-row", has_text="Mohd Khalid Abbasi Abdul Razak").locator(".bar")
    # An end the sources do not give is drawn as unknown, never as ongoing.
    assert lai.get_attribute("class") == "bar unknown"
    assert razak.get_attribute("class") == "bar ongoing"
    screenshot("timeline-and-posts", of=page.locator(".chart"))


def test_a_person_shows_everything_they_took_part_in(page: Page, screenshot: Screenshot) -> None:
    open_explorer(page)
    page.locator(".heads").get_by_role("link", name="Peter Stephen Lai").click()
    page.get_by_role("heading", name="Peter Stephen Lai", level=2).wait_for()
    entry = event_details(page, "Malaysia opens its embassy in Brussels")
    assert "as first ambassador" in entry.locator("summary").inner_text()
    assert "1975 – end unknown" in page.locator("main").inner_text()
    screenshot("person-peter-stephen-lai")

    page.go_back()
    page.get_by_role("heading", name="Belgium – Malaysia").wait_for()
    page.get_by_role("link", name="Malaysia Belgium Luxembourg Business Council").click()
    page.get_by_role("heading", name="Malaysia Belgium Luxembourg Business Council").wait_for()
    assert "Association" in page.locator(".lede").inner_text()


def test_an_organization_shows_its_participations(page: Page) -> None:
    open_explorer(page)
    event_details(page, "Atlantic Quantum invests in Essensium").locator("summary").click()
    page.get_by_role("link", name="Essensium NV").click()
    page.get_by_role("heading", name="Essensium NV").wait_for()
    summary = event_details(page, "Atlantic Quantum invests").locator("summary")
    assert "as investee" in summary.inner_text()


@pytest.mark.parametrize(
    ("address", "operation"),
    [
        ("/", "RelationView"),
        ("/#/relation/FR/MY", "RelationView"),
        ("/#/person/UGVyc29uOjE", "PersonView"),
    ],
)
def test_each_view_is_one_request(page: Page, address: str, operation: str) -> None:
    sent = view_requests(page, address)
    assert len(sent) == 1
    assert sent[0].startswith(f"query {operation}")


def test_each_view_links_its_query_to_graphiql(page: Page) -> None:
    open_explorer(page)
    link = page.get_by_role("link", name="Open this query in GraphiQL")
    params = parse_qs(urlsplit(link.get_attribute("href") or "").query)
    assert params["q"][0].startswith("query RelationView(")
    assert json.loads(params["variables"][0]) == {"first": "BE", "second": "MY"}
    page.locator(".query-panel summary").click()
    assert "relation(between: [$first, $second])" in page.locator(".query-panel pre").inner_text()


def test_the_graphiql_link_opens_the_views_query_ready_to_run(page: Page) -> None:
    if not (GRAPHIQL_ASSETS / "graphiql.min.js").exists():
        give_up("GraphiQL's files are missing: run `make assets`")
    open_explorer(page, "/#/relation/FR/MY")
    page.get_by_role("link", name="Open this query in GraphiQL").click()
    page.locator(".graphiql-container").wait_for()
    assert "query RelationView" in page.locator(".graphiql-query-editor").inner_text()
    page.get_by_role("button", name=re.compile("Execute query")).click()
    page.locator(".result-window").get_by_text('"PEGASUS 23"').wait_for()


def test_the_unrecorded_ambassadors_and_what_to_check_show_on_the_post(page: Page) -> None:
    open_explorer(page)
    card = page.locator("article.post", has=page.get_by_role("heading", name=BRUSSELS))
    assert card.locator(".heads li > :first-child").all_inner_texts() == [
        "Peter Stephen Lai",
        "Others, whom the sources do not name",
        "Mohd Khalid Abbasi Abdul Razak",
    ]
    # What to check about the heads is on the post's own page (the pair view, which may show
    # hundreds of heads, does not ask for it: see explorer/js/queries.js).
    card.get_by_role("link", name="the post's page").click()
    page.get_by_role("heading", name=BRUSSELS, level=2).wait_for()
    assert "without naming them" in page.locator(".quality").inner_text()


def test_country_names_follow_the_language_chosen_and_it_is_kept(
    page: Page, problems: list[str], screenshot: Screenshot
) -> None:
    open_explorer(page)
    page.get_by_label("Country names in").select_option("nl")
    page.get_by_role("heading", name="België – Maleisië").wait_for()
    picker = page.get_by_label("Country", exact=True)
    picker.locator('option[value="BE"]', has_text="België (BE)").wait_for(state="attached")
    screenshot("explorer-in-dutch")
    page.reload()
    page.get_by_role("heading", name="België – Maleisië").wait_for()
    page.get_by_label("Country names in").select_option("")
    page.get_by_role("heading", name="Belgium – Malaysia").wait_for()
    assert problems == []


def test_another_pair_is_chosen_with_the_keyboard(page: Page) -> None:
    open_explorer(page)
    picker = page.get_by_label("Country", exact=True)
    picker.locator('option[value="FR"]').wait_for(state="attached")  # every country is in
    picker.focus()
    picker.select_option("FR")
    for _ in range(3):  # past the swap button and the second country, to "Show relations"
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Show relations"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="France – Malaysia").wait_for()
    assert page.url.endswith("/relation/FR/MY")
    assert page.evaluate("document.activeElement.tagName") == "H2"
    summary = event_details(page, "PEGASUS 23").locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert event_details(page, "PEGASUS 23").get_attribute("open") is not None
    outline = summary.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"  # the focus style shows where the keyboard is


def test_the_explorer_is_readable_at_360_pixels(
    page: Page, problems: list[str], screenshot: Screenshot
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    open_explorer(page)
    event_details(page, VISIT_2025).locator("summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.locator(".chart").bounding_box() is not None
    screenshot("explorer-360px")
    assert problems == []


def test_graphiql_loads_offline_and_runs_a_query(
    page: Page, base_url: str, problems: list[str], screenshot: Screenshot
) -> None:
    if not (GRAPHIQL_ASSETS / "graphiql.min.js").exists():
        give_up("GraphiQL's files are missing: run `make assets`")
    host = urlsplit(base_url).netloc
    blocked: list[str] = []

    def offline(route: Route) -> None:
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", offline)
    page.goto("/graphql?q=" + "%7B%20country(code%3A%20%22BE%22)%20%7B%20name%20%7D%20%7D")
    page.locator(".graphiql-container").wait_for()
    page.get_by_role("button", name=re.compile("Execute query")).click()
    page.locator(".result-window").get_by_text('"Belgium"').wait_for()
    page.get_by_role("button", name="Show GraphiQL Explorer").click()
    page.locator(".graphiql-explorer-root").get_by_text("relation").first.wait_for()
    screenshot("graphiql-offline", full_page=False)
    assert blocked == []
    assert problems == []


def test_graphiql_falls_back_to_the_cdn_page_without_its_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bilateral"):
        page = graphiql_html(tmp_path)
    assert "unpkg.com" in page or "cdn" in page.lower()
    assert "make assets" in caplog.text
