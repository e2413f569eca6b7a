"""The explorer's world: a country's posts on a map and in a table, shareable views, search and
"load more", in headless Chromium on a database with the world's posts."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.error import HTTPError

import pytest

from browser.harness import TIMINGS, Screenshot, ask, give_up, map_assets_present

# Slow: a server in a process of its own, and Chromium.
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

NETHERLANDS = """{ country(code: "NL") {
  missions { id name opened hostCountry { code }
    accreditations { target { __typename ... on Country { code } } } }
  hostedMissions { id }
} }"""
PEOPLE = """{ people(search: "Peter Stephen Lai") { nodes { id name } } }"""
PAIR = """{ relation(between: ["BE", "MY"]) { missions { id } } }"""


@pytest.fixture(scope="module")
def base_url(world_url: str) -> str:
    """These tests run on the world's posts."""
    return world_url


@pytest.fixture(scope="module")
def netherlands(world_url: str) -> dict[str, Any]:
    """The Netherlands' posts abroad and the posts in it, as the API gives them."""
    country: dict[str, Any] = ask(world_url, NETHERLANDS)["country"]
    return country


def open_view(page: Page, address: str) -> None:
    page.goto(address)
    page.locator("main h2").wait_for()


def open_map(page: Page, address: str) -> None:
    open_view(page, address)
    page.locator(".world-map[data-state=drawn]").wait_for()


def drawn_posts(page: Page, layer: str) -> list[str]:
    drawn: list[str] = page.locator(f'.point[data-layer="{layer}"]').evaluate_all(
        "points => points.map(point => point.dataset.post)"
    )
    return drawn


def test_the_netherlands_view_draws_one_point_per_post_the_api_returns(
    page: Page, netherlands: dict[str, Any], problems: list[str], screenshot: Screenshot
) -> None:
    open_map(page, "/country/NL")
    abroad = drawn_posts(page, "abroad")
    hosted = drawn_posts(page, "hosted")
    assert sorted(abroad) == sorted(post["id"] for post in netherlands["missions"])
    assert sorted(hosted) == sorted(post["id"] for post in netherlands["hostedMissions"])
    assert len(abroad) == 309  # as tests/test_world.py counts them
    # Those without coordinates are placed in their country, and marked so.
    placed = page.locator('.point[data-layer="abroad"][data-placed="country"]').count()
    assert 0 < placed < 309
    screenshot("country-netherlands", of=page.locator("main"))  # shown in the README
    assert problems == []


def test_the_netherlands_view_is_one_request(page: Page) -> None:
    sent: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/graphql"):
            query = json.loads(request.post_data or "{}").get("query", "")
            if "CountryPage" not in query:  # the pickers' list of countries, shared by the map
                sent.append(query)

    page.on("request", record)
    open_map(page, "/country/NL")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1
    assert sent[0].startswith("query CountryView")


def test_the_time_to_draw_the_netherlands_is_recorded(page: Page) -> None:
    """From the API's answer to a map drawn and painted with the main thread free: recorded for
    the report, not asserted (on 2 shared cores the machine's load decides it)."""
    open_map(page, "/country/NL")
    page.wait_for_function("performance.getEntriesByName('map-interactive').length > 0")
    timings = page.evaluate(
        """() => {
        const at = (name) => performance.getEntriesByName(name)[0].startTime;
        return {
          drawn: at("map-drawn") - at("view-response"),
          interactive: at("map-interactive") - at("view-response"),
        };
    }"""
    )
    TIMINGS["Netherlands' view, from the answer to the map drawn"] = timings["drawn"]
    TIMINGS["Netherlands' view, from the answer to the map interactive"] = timings["interactive"]
    assert timings["interactive"] >= timings["drawn"] > 0


def test_hovering_a_point_shows_the_post_and_clicking_opens_it(
    page: Page, netherlands: dict[str, Any]
) -> None:
    open_map(page, "/country/NL")
    names = {post["id"]: post["name"] for post in netherlands["missions"]}
    # A post no other mark covers, so that the pointer is on it alone.
    chosen = page.evaluate(
        """() => [...document.querySelectorAll('.point[data-layer="abroad"]:not([data-placed])')]
        .find((point) => {
          const box = point.getBoundingClientRect();
          const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          return top?.closest('.point') === point;
        }).dataset.post"""
    )
    point = page.locator(f'.point[data-post="{chosen}"]')
    point.hover()
    assert page.locator(".map-tip").inner_text().startswith(names[chosen])
    point.click()
    page.get_by_role("heading", name=names[chosen], level=2).wait_for()
    assert page.url.endswith(f"/post/{chosen}")
    page.locator(".world-map[data-state=drawn]").wait_for()
    assert drawn_posts(page, "abroad") == [chosen]
    page.go_back()
    page.get_by_role("heading", name="Netherlands", level=2).wait_for()
    assert page.url.endswith("/country/NL")


def test_the_keyboard_reaches_the_posts_and_opens_one(page: Page) -> None:
    open_map(page, "/country/NL")
    first = page.locator('.point[tabindex="0"]')
    assert first.count() == 1  # the posts are one tab stop
    start = first.get_attribute("data-post")
    first.focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.dataset.post")
    assert focused and focused != start
    assert page.locator(f'.point[data-post="{focused}"]').get_attribute("tabindex") == "0"
    assert page.locator(".map-tip").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/post/{focused}")


def test_a_shaded_country_is_one_the_api_lists_as_accredited(
    page: Page, netherlands: dict[str, Any]
) -> None:
    open_map(page, "/country/NL")
    accredited = {
        accreditation["target"]["code"]
        for post in netherlands["missions"]
        for accreditation in post["accreditations"]
        if accreditation["target"]["__typename"] == "Country"
    }
    hosts = {post["hostCountry"]["code"] for post in netherlands["missions"]}

    def codes(selector: str) -> set[str]:
        found = page.locator(selector).evaluate_all("shapes => shapes.map(s => s.dataset.code)")
        return set(found)

    resident = codes(".country.resident")
    non_resident = codes(".country.non-resident")
    on_the_map = codes(".country[data-code]")
    assert resident | non_resident == accredited & on_the_map
    assert resident == accredited & hosts & on_the_map
    assert non_resident and not non_resident & hosts  # accredited from a post elsewhere
    assert codes(".country.home") == {"NL"}


def test_clicking_a_country_opens_the_relation_of_the_pair(page: Page) -> None:
    open_map(page, "/country/NL")
    page.locator('.country[data-code="JP"]').dispatch_event("click")
    page.wait_for_url("**/relation/NL/JP")
    page.get_by_role("heading", name="Netherlands – Japan", level=2).wait_for()
    page.go_back()
    page.get_by_role("heading", name="Netherlands", level=2).wait_for()


def test_the_table_holds_the_same_posts_and_sorts_by_keyboard(
    page: Page, netherlands: dict[str, Any]
) -> None:
    open_map(page, "/country/NL")
    page.get_by_role("tab", name="Table").click()
    assert page.url.endswith("/country/NL?as=table")
    table = page.get_by_role("table", name="Posts of Netherlands abroad")
    rows = table.locator("tbody tr")
    assert rows.count() == len(netherlands["missions"])
    assert rows.first.locator("th[scope=row]").count() == 1  # each row is named by its post
    opened = table.get_by_role("button", name="Opened")
    opened.focus()
    page.keyboard.press("Enter")
    header = table.locator("th", has=page.get_by_role("button", name="Opened"))
    assert header.get_attribute("aria-sort") == "ascending"
    dates = sorted(post["opened"] for post in netherlands["missions"] if post["opened"])
    first_cell = rows.first.locator("td").nth(4).inner_text()
    assert first_cell.endswith(dates[0][:4])
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert rows.first.locator("td").nth(4).inner_text().endswith(dates[-1][:4])
    # The address keeps the tab: a shared link opens the table.
    page.reload()
    page.get_by_role("table", name="Posts of Netherlands abroad").wait_for()


def test_the_decade_chart_counts_the_posts_with_an_opening_date(
    page: Page, netherlands: dict[str, Any]
) -> None:
    open_view(page, "/country/NL")
    years = [int(post["opened"][:4]) for post in netherlands["missions"] if post["opened"]]
    counts = page.locator(".decade-count").all_inner_texts()
    assert sum(int(text.split()[0]) for text in counts) == len(years)
    decades = page.locator(".decade").all_inner_texts()
    assert decades[0] == f"{min(years) // 10 * 10}s"
    assert decades[-1] == f"{max(years) // 10 * 10}s"


def graphql_answer(operation: str) -> Callable[[Response], bool]:
    """Whether a response answers a POST of this operation to /graphql."""

    def answers(response: Response) -> bool:
        request = response.request
        if request.method != "POST" or not request.url.endswith("/graphql"):
            return False
        query: str = json.loads(request.post_data or "{}").get("query", "")
        return query.startswith(f"query {operation}")

    return answers


def test_load_more_fetches_the_next_page_with_the_cursor(page: Page) -> None:
    with page.expect_response(graphql_answer("SearchView")) as first_answer:
        open_view(page, "/search?q=embassy")
    first_page = first_answer.value.json()["data"]["search"]
    results = page.locator("ol.found > li")
    assert results.count() == 25
    assert first_page["totalCount"] > 50
    assert page.locator(".more-line .count").inner_text() == (
        f"Showing 25 of {first_page['totalCount']} results."
    )
    with page.expect_response(graphql_answer("SearchPage")) as next_answer:
        page.get_by_role("button", name="Load 25 more").click()
    sent = json.loads(next_answer.value.request.post_data or "{}")["variables"]
    assert sent["after"] == first_page["pageInfo"]["endCursor"]
    assert sent["text"] == "embassy"
    page.locator("ol.found > li").nth(49).wait_for()
    assert results.count() == 50
    # The next page follows on from the first, and the focus is on its first result.
    next_page = next_answer.value.json()["data"]["search"]
    ids = [node.get("id", node.get("code")) for node in first_page["nodes"] + next_page["nodes"]]
    assert len(set(ids)) == 50
    assert page.evaluate(
        "document.activeElement.closest('li') === document.querySelectorAll('ol.found > li')[25]"
    )
    assert page.locator(".more-line .count").inner_text() == (
        f"Showing 50 of {first_page['totalCount']} results."
    )


def test_the_search_box_uses_the_apis_search(page: Page) -> None:
    open_view(page, "/")
    page.get_by_role("searchbox").fill("Netherlands")
    page.get_by_role("searchbox").press("Enter")
    page.get_by_role("heading", name="Search: Netherlands").wait_for()
    assert page.url.endswith("/search?q=Netherlands")
    page.locator(".found-countries").get_by_role("link", name="Netherlands", exact=True).click()
    page.get_by_role("heading", name="Netherlands", level=2).wait_for()
    assert page.url.endswith("/country/NL")


def test_any_countrys_network_is_two_clicks_from_the_front_page(page: Page) -> None:
    open_view(page, "/")
    page.get_by_role("link", name="Countries", exact=True).click()
    page.locator(".country-list").get_by_role("link", name="Japan", exact=True).click()
    page.get_by_role("heading", name="Japan", level=2).wait_for()
    page.locator(".world-map[data-state=drawn]").wait_for()
    assert page.url.endswith("/country/JP")


@pytest.mark.parametrize(
    ("address", "heading"),
    [
        ("/country/NL", "Netherlands"),
        ("/country/nl", "Netherlands"),
        ("/relation/BE/MY", "Belgium – Malaysia"),
        ("/countries", "Countries"),
        ("/search?q=Brussels", "Search: Brussels"),
        ("/#/relation/FR/MY", "France – Malaysia"),  # an address of the earlier form
        ("/country/ZZ", "No country ZZ"),
    ],
)
def test_a_deep_link_opens_its_view(page: Page, address: str, heading: str) -> None:
    open_view(page, address)
    assert page.locator("main h2").inner_text() == heading
    if address.startswith("/#"):
        assert page.url.endswith("/relation/FR/MY")


def test_a_person_and_a_post_open_from_their_own_addresses(page: Page, world_url: str) -> None:
    [lai] = ask(world_url, PEOPLE)["people"]["nodes"]
    open_view(page, f"/person/{lai['id']}")
    assert page.locator("main h2").inner_text() == "Peter Stephen Lai"
    page.get_by_role("link", name="Embassy of Malaysia, Brussels").first.click()
    page.get_by_role("heading", name="Embassy of Malaysia, Brussels", level=2).wait_for()
    post_address = page.url
    assert "/post/" in post_address
    page.go_back()
    page.get_by_role("heading", name="Peter Stephen Lai", level=2).wait_for()
    page.go_forward()
    page.get_by_role("heading", name="Embassy of Malaysia, Brussels", level=2).wait_for()
    open_view(page, post_address.removeprefix(world_url))
    assert page.locator("main h2").inner_text() == "Embassy of Malaysia, Brussels"


def test_the_pair_view_maps_the_two_countries_posts_in_each_other(
    page: Page, world_url: str, problems: list[str], screenshot: Screenshot
) -> None:
    relation = ask(world_url, PAIR)["relation"]
    open_map(page, "/relation/BE/MY")
    drawn = page.locator(".point").evaluate_all("points => points.map(p => p.dataset.post)")
    assert sorted(drawn) == sorted(mission["id"] for mission in relation["missions"])
    assert {"BE", "MY"} == set(
        page.locator(".country.pair").evaluate_all("shapes => shapes.map(s => s.dataset.code)")
    )
    screenshot("relation-belgium-malaysia")  # shown in the README
    assert problems == []


@pytest.mark.parametrize(
    "file",
    ["countries-110m.json", "countries-50m.json", "d3-geo.min.js", "topojson-client.min.js"],
)
def test_the_map_files_are_served_with_an_etag(world_url: str, file: str) -> None:
    if not map_assets_present():
        give_up("the explorer's map files are missing: run `make assets`")
    with urllib.request.urlopen(f"{world_url}/static/map/{file}") as answer:
        etag = answer.headers["ETag"]
        assert answer.status == 200 and etag
    again = urllib.request.Request(
        f"{world_url}/static/map/{file}", headers={"If-None-Match": etag}
    )
    with pytest.raises(HTTPError) as unchanged:
        urllib.request.urlopen(again)
    unchanged.value.close()  # urllib raises the 304 with its connection still open
    assert unchanged.value.code == 304
