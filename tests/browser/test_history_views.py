"""The explorer with everything a first start loads: two centuries of US chiefs of mission and
events. Pairs such as Belgium–United States (195 events, 64 heads of the US post in Brussels)
stay legible, and every view's query stays within the API's default limits."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from browser.harness import Screenshot, ask

pytestmark = pytest.mark.slow  # a browser and a server loaded with everything

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page, Response

US_BRUSSELS = "Embassy of the United States of America, Brussels"
# Anthony J. Drexel Biddle Jr. was envoy to Belgium's government in exile from London.
BIDDLE = "Anthony Joseph Drexel Biddle Jr."
# A secretary of state (1898–1905) who was ambassador in London before (1897–98).
HAY = "John Milton Hay"
ESTABLISHED_1832 = "Belgium: Establishment of Diplomatic Relations, 1832"


@pytest.fixture(scope="module")
def base_url(world_url: str) -> str:
    """These tests run on everything a first start loads."""
    return world_url


def open_view(page: Page, address: str) -> None:
    page.goto(address)
    page.locator("main h2").wait_for()


def post_lane(page: Page, name: str) -> Locator:
    return page.locator(".post-lane", has=page.locator(".lane-label", has_text=name))


def head_rows(lane: Locator) -> Locator:
    """A post lane's tenure bars (not its addresses' bars)."""
    return lane.locator(".track > .bar-row")


def shown_events(page: Page) -> Locator:
    return page.locator(".event-section .events details")


def test_belgium_and_the_us_draw_the_64_heads_of_the_brussels_embassy_by_post(
    page: Page, problems: list[str], screenshot: Screenshot
) -> None:
    open_view(page, "/relation/BE/US")
    lede = page.locator(".lede").inner_text()
    assert "Diplomatic relations since 18 Jun 1832" in lede
    assert "195 events" in lede
    # The posts, grouped by the country keeping them: the US's under its heading.
    groups = page.locator(".chart .lane-group").all_inner_texts()
    assert [group.lower() for group in groups] == [
        "belgium in united states of america",
        "united states of america in belgium",
    ]
    lane = post_lane(page, US_BRUSSELS)
    assert "64 heads" in lane.locator(".lane-label").inner_text()
    rows = head_rows(lane)
    assert rows.count() == 64
    # Each tenure says on hover who, as what, when, at the source's precision.
    legare = rows.filter(has_text="Hugh Swinton Legare")
    assert legare.get_attribute("title") == (
        "Chargé d\u2019Affaires, Hugh Swinton Legare, 25 Sep 1832 – 9 Jun 1836"
    )
    assert legare.locator(".bar").get_attribute("title") == legare.get_attribute("title")
    # So many bars scroll in a lane of their own, reachable with the keyboard.
    track = lane.locator(".track")
    assert "scrolls" in (lane.get_attribute("class") or "")
    assert track.get_attribute("tabindex") == "0"
    assert track.evaluate("t => t.scrollHeight > t.clientHeight")
    screenshot("relation-belgium-united-states", of=page.locator(".chart"))
    assert problems == []


def test_a_head_resident_elsewhere_is_marked_and_says_where(page: Page) -> None:
    open_view(page, "/relation/BE/US")
    rows = head_rows(post_lane(page, US_BRUSSELS))
    non_resident = rows.locator("xpath=self::*[contains(@class, 'non-resident')]")
    assert non_resident.count() == 1
    biddle = rows.filter(has_text=BIDDLE)
    assert "non-resident" in (biddle.get_attribute("class") or "")
    assert "resident in United Kingdom" in (biddle.get_attribute("title") or "")
    assert "resident in United Kingdom" in biddle.inner_text()
    # A resident head is drawn as before.
    legare = rows.filter(has_text="Hugh Swinton Legare")
    assert "non-resident" not in (legare.get_attribute("class") or "")
    card = page.locator("article.post", has=page.get_by_role("heading", name=US_BRUSSELS))
    item = card.locator(".heads li", has_text=BIDDLE)
    assert item.locator(".residence").inner_text() == "resident in United Kingdom"
    assert "head resident elsewhere" in page.locator(".legend").inner_text()


def test_the_timeline_groups_by_decade_filters_by_kind_and_loads_more(
    page: Page, problems: list[str], screenshot: Screenshot
) -> None:
    open_view(page, "/relation/BE/US")
    # The first page of events, under a heading per decade; the rest on demand. The timeline's
    # dots are those listed, and its lanes say so where there are more.
    assert shown_events(page).count() == 100
    lanes = page.locator(".events-lane .lane-label").all_inner_texts()
    assert any(re.fullmatch(r"Trip abroad · \d+ of \d+", lane) for lane in lanes)
    assert page.locator(".events .decade-mark").first.inner_text() == "1830s"
    page.get_by_role("button", name="Load 95 more").click()
    page.get_by_text("Showing 195 of 195 events.").wait_for()
    assert shown_events(page).count() == 195

    # Every decade with events has its bar; choosing a kind narrows the list to it.
    overview = page.locator(".event-overview")
    assert overview.get_by_role("button", name=re.compile(r"^1830s")).is_visible()
    picker = overview.get_by_label("Kind of event")
    visits = picker.locator("option[value=VISIT]").inner_text()
    visit_count = int(re.findall(r"\((\d+)\)", visits)[0])
    picker.select_option("VISIT")
    page.wait_for_function(
        "n => document.querySelectorAll('.event-section .events details').length === n",
        arg=visit_count,
    )
    kinds = shown_events(page).evaluate_all("all => all.map(d => d.dataset.kind)")
    assert set(kinds) == {"VISIT"}

    # A decade narrows it further, and "Every decade" and "Every kind" widen it again.
    picker.select_option("")
    overview.get_by_role("button", name=re.compile(r"^1830s")).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.event-section .events time')]"
        ".every(t => t.dateTime.startsWith('183'))"
    )
    assert shown_events(page).count() == 3
    assert (
        overview.get_by_role("button", name=re.compile(r"^1830s")).get_attribute("aria-pressed")
        == "true"
    )
    overview.get_by_role("button", name="Every decade").click()
    page.get_by_text("Showing 100 of 195 events.").wait_for()
    screenshot("relation-belgium-united-states-events", of=overview)
    assert problems == []


def test_any_event_opens_to_its_participants_and_sources(page: Page) -> None:
    open_view(page, "/relation/BE/US")
    details = page.locator("details").filter(has=page.locator("summary", has_text=ESTABLISHED_1832))
    assert details.locator("time").inner_text() == "18 Jun 1832"
    details.locator("summary").click()
    body = details.locator(".event-body")
    assert body.get_by_role("link", name="Edward Livingston").is_visible()
    assert (
        body.get_by_role("link", name=re.compile("Office of the Historian")).get_attribute("href")
        == "https://history.state.gov/countries/belgium"
    )
    # A trip opens just as well, with its traveller in his role.
    trip = page.locator(".events details[data-kind=TRIP]").first
    trip.locator("summary").click()
    assert "President" in trip.locator(".participants").inner_text()


def test_the_united_kingdom_and_the_us_render(
    page: Page, problems: list[str], screenshot: Screenshot
) -> None:
    open_view(page, "/relation/GB/US")
    assert page.locator("main h2").inner_text() == "United Kingdom – United States of America"
    total = int(re.findall(r"(\d+) events", page.locator(".lede").inner_text())[0])
    assert 380 <= total <= 440
    assert page.get_by_text(f"Showing 100 of {total} events.").is_visible()
    assert page.locator(".chart .post-lane .track > .bar-row").count() > 50
    screenshot("relation-united-kingdom-united-states")
    assert problems == []


def test_a_secretary_of_state_shows_his_headship_and_his_trips(
    page: Page, world_url: str, problems: list[str]
) -> None:
    found = ask(world_url, f'{{ people(search: "{HAY}") {{ nodes {{ id name }} }} }}')
    [hay] = [person for person in found["people"]["nodes"] if person["name"] == HAY]
    open_view(page, f"/person/{hay['id']}")
    assert page.locator("main h2").inner_text() == HAY
    assert "1838 – 1905" in page.locator(".lede").inner_text()
    headship = page.locator(".headships li")
    assert headship.count() == 1
    text = headship.inner_text()
    assert "Ambassador Extraordinary and Plenipotentiary" in text
    assert "3 May 1897 – 12 Sep 1898" in text
    assert headship.get_by_role("link", name=re.compile("Embassy of the United States")).count()
    trips = page.locator(".events details[data-kind=TRIP] summary")
    assert trips.count() >= 4
    assert "as Secretary of State" in trips.first.inner_text()
    assert page.locator(".chart .post-lane .bar-row").count() == 1
    assert problems == []


def test_the_country_view_names_its_relations_with_their_counts(
    page: Page, problems: list[str]
) -> None:
    open_view(page, "/country/BE")
    relations = page.locator(".relation-list li")
    assert relations.count() > 50
    us = relations.filter(has=page.get_by_role("link", name="Belgium – United States"))
    assert "195 events" in us.inner_text()
    assert "since 18 Jun 1832" in us.inner_text()
    us.get_by_role("link").click()
    page.get_by_role("heading", name="Belgium – United States").wait_for()
    assert problems == []


def test_a_severed_relation_says_so(page: Page) -> None:
    open_view(page, "/relation/IR/US")
    assert "relations severed since" in page.locator(".lede").inner_text()


@pytest.mark.parametrize(
    "address",
    [
        "/relation/BE/US",
        "/relation/GB/US",
        "/relation/BE/MY",
        "/country/US",
        "/country/NL",
        "/country/BE",
        "/person/{hay}",
        "/post/{brussels}",
    ],
)
def test_every_views_query_is_answered_within_the_default_limits(
    page: Page, world_url: str, problems: list[str], address: str
) -> None:
    ids = ask(
        world_url,
        f'{{ people(search: "{HAY}") {{ nodes {{ id name }} }} '
        '  relation(between: ["BE", "US"]) { missions { id name } } }',
    )
    hay = next(p["id"] for p in ids["people"]["nodes"] if p["name"] == HAY)
    brussels = next(m["id"] for m in ids["relation"]["missions"] if m["name"] == US_BRUSSELS)
    answers: list[dict[str, Any]] = []

    def record(response: Response) -> None:
        if response.request.method == "POST" and response.url.endswith("/graphql"):
            answers.append(json.loads(response.text()))

    page.on("response", record)
    open_view(page, address.format(hay=hay, brussels=brussels))
    page.wait_for_load_state("networkidle")
    assert answers
    for answer in answers:
        assert "errors" not in answer, answer["errors"]
        cost = answer["extensions"]["cost"]
        assert cost["estimatedNodes"] <= cost["maxNodes"]
    assert page.locator(".notice, .error:not(:empty)").count() == 0
    assert problems == []
