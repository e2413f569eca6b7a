"""Events: filters, order, participants, quotes, figures and sources."""

from typing import Any

from conftest import Failing, GraphQL

EVENTS = """query($filter: EventFilter, $order: EventOrder, $first: Int, $after: String) {
    events(filter: $filter, orderBy: $order, first: $first, after: $after) {
        totalCount
        edges { cursor node { date title } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
}"""


async def _dates(data: GraphQL, **variables: Any) -> list[str]:
    found = await data(EVENTS, **variables)
    return [edge["node"]["date"] for edge in found["events"]["edges"]]


async def test_from_a_month_includes_a_day_in_that_month(data: GraphQL) -> None:
    assert await _dates(data, filter={"from": "2022-03", "to": "2022-03"}) == ["2022-03-18"]


async def test_to_a_year_includes_its_last_day(data: GraphQL) -> None:
    dates = await _dates(data, filter={"from": "2017", "to": "2017"})
    assert dates == ["2017-08-24"]
    assert "2024-12-08" not in await _dates(data, filter={"to": "2024-11"}, first=100)


async def test_events_can_be_ordered_newest_first(data: GraphQL) -> None:
    dates = await _dates(data, order={"field": "DATE", "direction": "DESC"}, first=3)
    assert dates == ["2025-01-19", "2024-12-08", "2024-12"]


async def test_events_filter_by_countries_kinds_and_text(data: GraphQL) -> None:
    military = await data(EVENTS, filter={"countries": ["be", "MYS"], "kinds": ["MILITARY"]})
    assert [e["node"]["title"] for e in military["events"]["edges"]] == [
        "Tun Abdul Razak tours the Belgian Navy mine school"
    ]
    potatoes = await data(EVENTS, filter={"text": "potatoes"})
    assert potatoes["events"]["totalCount"] == 1


async def test_text_filter_matches_wildcards_and_quotes_literally(data: GraphQL) -> None:
    for text in ("%", "_", "' OR 1=1 --", '"potatoes" OR *'):
        found = await data(EVENTS, filter={"text": text})
        assert found["events"]["totalCount"] == 0, text


async def test_events_filter_by_participant_id(data: GraphQL) -> None:
    person = await data('{ people(search: "Anwar") { nodes { id } } }')
    anwar = person["people"]["nodes"][0]["id"]
    found = await data(EVENTS, filter={"participant": anwar})
    assert [e["node"]["date"] for e in found["events"]["edges"]] == ["2025-01-19"]


async def test_walking_the_pages_neither_skips_nor_repeats(data: GraphQL) -> None:
    everything = await _dates(data, first=100)
    seen: list[str] = []
    after = None
    while True:
        page = (await data(EVENTS, first=4, after=after))["events"]
        seen += [edge["node"]["date"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == everything and len(seen) == 19


async def test_first_outside_0_to_100_is_an_error_not_a_cap(error: Failing, data: GraphQL) -> None:
    assert "'first'" in await error(EVENTS, first=101)
    assert "'first'" in await error(EVENTS, first=-1)
    empty = await data(EVENTS, first=0)
    assert empty["events"]["edges"] == [] and empty["events"]["totalCount"] == 19


async def test_a_foreign_or_forged_cursor_is_an_error(error: Failing, data: GraphQL) -> None:
    people = await data("{ people(first: 1) { pageInfo { endCursor } } }")
    foreign = people["people"]["pageInfo"]["endCursor"]
    assert "'after'" in await error(EVENTS, after=foreign)
    assert "'after'" in await error(EVENTS, after="not-a-cursor")


async def test_unknown_country_in_filter_is_an_error(error: Failing) -> None:
    assert "filter.countries" in await error(EVENTS, filter={"countries": ["ZZ"]})


async def test_visit_to_belgium_has_participants_figures_and_sources(data: GraphQL) -> None:
    found = await data(
        """{ events(filter: {from: "2025-01-19", to: "2025-01-19"}) { nodes {
            title kind date endDate place { name country { code } }
            participants { role participant { __typename ... on Person { name } ... on Country { code } } }
            visitors: participants(role: "VISITOR") { role }
            countries { code }
            figures { label value unit }
            sources { title section }
        } } }"""
    )
    event = found["events"]["nodes"][0]
    assert event["kind"] == "POLITICAL" and event["endDate"] == "2025-01-20"
    assert event["place"] == {"name": "Belgium", "country": {"code": "BE"}}
    assert event["participants"] == [
        {"role": "visitor", "participant": {"__typename": "Person", "name": "Anwar Ibrahim"}},
        {"role": "host", "participant": {"__typename": "Country", "code": "BE"}},
    ]
    assert event["visitors"] == [{"role": "visitor"}]
    assert event["countries"] == [{"code": "BE"}, {"code": "MY"}]
    assert event["figures"] == [
        {
            "label": "Members of the Malaysian diaspora at the gathering (approximate)",
            "value": 200.0,
            "unit": "1",
        }
    ]
    assert event["sources"] == [
        {"title": "Belgium–Malaysia relations", "section": "Political relations"}
    ]


async def test_both_quotes_are_kept_verbatim_with_their_speakers(data: GraphQL) -> None:
    found = await data(
        "{ events(first: 100, filter: {kinds: [ECONOMIC]}) { nodes { quotes { text date speaker { name } } } } }"
    )
    quotes = [quote for event in found["events"]["nodes"] for quote in event["quotes"]]
    assert quotes == [
        {
            "text": "We are convinced that Malaysia is a very good base to establish representative office and joint-venture",
            "date": "2000",
            "speaker": {"name": "Silvana Flagothier"},
        },
        {
            "text": "gateway for Malaysian companies venturing into the European market, while Malaysia can serve as the competitive springboard for Belgian companies entering the East Asian markets",
            "date": "2002",
            "speaker": {"name": "Rafidah Aziz"},
        },
    ]


async def test_potato_trade_figures_carry_units_and_currencies(data: GraphQL) -> None:
    found = await data(
        '{ events(filter: {from: "2016", to: "2016"}) { nodes { figures { value unit } } } }'
    )
    figures = found["events"]["nodes"][0]["figures"]
    assert figures == [
        {"value": 11.0, "unit": "1"},
        {"value": 306000000.0, "unit": "MYR"},
        {"value": 64500000.0, "unit": "EUR"},
        {"value": 65718.0, "unit": "t"},
        {"value": 9689.0, "unit": "t"},
    ]
