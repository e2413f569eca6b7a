"""Relations: one per pair of countries, found from either side."""

from conftest import Failing, GraphQL

TIMELINE = """query($between: [String!]!) { relation(between: $between) {
    id established countries { code }
    missions { name }
    organizations { name }
    events(first: 100) { totalCount nodes { date title } }
    sources { section }
} }"""


async def test_relation_is_the_same_whichever_order_the_codes_come_in(data: GraphQL) -> None:
    forward = await data(TIMELINE, between=["BE", "MY"])
    backward = await data(TIMELINE, between=["mys", "bel"])
    assert forward == backward
    assert forward["relation"]["countries"] == [{"code": "BE"}, {"code": "MY"}]


async def test_belgium_malaysia_relations_were_established_in_1957(data: GraphQL) -> None:
    relation = (await data(TIMELINE, between=["BE", "MY"]))["relation"]
    assert relation["established"] == "1957"
    assert relation["sources"] == [{"section": "Historical relations"}]


async def test_belgium_malaysia_timeline_runs_from_1957_to_2025(data: GraphQL) -> None:
    events = (await data(TIMELINE, between=["BE", "MY"]))["relation"]["events"]
    dates = [event["date"] for event in events["nodes"]]
    assert events["totalCount"] == len(dates) == 13
    assert dates[0] == "1957" and dates[-1] == "2025-01-19"
    assert dates == sorted(dates)


async def test_france_malaysia_defence_events_are_not_belgian(data: GraphQL) -> None:
    belgian = (await data(TIMELINE, between=["BE", "MY"]))["relation"]["events"]["nodes"]
    french = (await data(TIMELINE, between=["FR", "MY"]))["relation"]["events"]["nodes"]
    titles = {event["title"] for event in belgian}
    assert not titles & {event["title"] for event in french}
    assert {event["title"] for event in french} >= {"PEGASUS 23", "MALFRENCH DAGGERT"}


async def test_relation_lists_both_countries_posts_and_its_bilateral_bodies(data: GraphQL) -> None:
    relation = (await data(TIMELINE, between=["MY", "BE"]))["relation"]
    assert [mission["name"] for mission in relation["missions"]] == [
        "Embassy of Belgium, Kuala Lumpur",
        "Embassy of Malaysia, Brussels",
        "Honorary Consulate of Belgium, Penang",
    ]
    assert [organization["name"] for organization in relation["organizations"]] == [
        "Malaysia Belgium Luxembourg Business Council",
        "Malaysian Association of Belgium and Luxembourg",
    ]


async def test_relation_not_recorded_is_null(data: GraphQL) -> None:
    assert (await data(TIMELINE, between=["BE", "JP"]))["relation"] is None


async def test_relation_needs_two_different_valid_codes(error: Failing) -> None:
    assert "exactly two" in await error(TIMELINE, between=["BE"])
    assert "exactly two" in await error(TIMELINE, between=["BE", "MY", "FR"])
    assert "different" in await error(TIMELINE, between=["BE", "bel"])


async def test_a_code_no_country_has_is_null_as_for_country(data: GraphQL) -> None:
    # A lookup answers null for a code that names no country; a filter on one is an error.
    assert (await data(TIMELINE, between=["BE", "XX"]))["relation"] is None
    assert (await data('{ country(code: "XX") { name } }'))["country"] is None
