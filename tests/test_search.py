"""Full-text search: names, titles, summaries, quotes, cities and addresses, best match first."""

from conftest import GraphQL

SEARCH = """query($text: String!, $first: Int, $after: String) {
    search(text: $text, first: $first, after: $after) {
        totalCount
        nodes { __typename
            ... on Country { code } ... on Mission { name } ... on Person { name }
            ... on Organization { name } ... on Event { title } }
        pageInfo { hasNextPage endCursor }
    }
}"""


async def test_search_puts_the_best_match_first(data: GraphQL) -> None:
    found = (await data(SEARCH, text="Anwar Ibrahim"))["search"]
    assert found["nodes"][0] == {"__typename": "Person", "name": "Anwar Ibrahim"}


async def test_search_finds_quotes_addresses_and_ignores_accents(data: GraphQL) -> None:
    quoted = (await data(SEARCH, text="springboard"))["search"]["nodes"]
    assert {"__typename": "Person", "name": "Rafidah Aziz"} in quoted
    address = (await data(SEARCH, text="Tervueren"))["search"]["nodes"]
    assert {"__typename": "Mission", "name": "Embassy of Malaysia, Brussels"} in address
    accented = (await data(SEARCH, text="Sébastien"))["search"]["nodes"]
    assert {"__typename": "Person", "name": "Sebastien Lecornu"} in accented


async def test_search_pages_cover_every_match_once(data: GraphQL) -> None:
    everything = (await data(SEARCH, text="malaysia", first=100))["search"]
    seen, after = [], None
    while True:
        page = (await data(SEARCH, text="malaysia", first=7, after=after))["search"]
        seen += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == everything["nodes"] and len(seen) == everything["totalCount"] > 7


async def test_search_syntax_is_taken_literally(data: GraphQL) -> None:
    for text in ("NEAR(a b)", '"', "* OR 1", "%", "_", "'; DROP TABLE event; --"):
        found = (await data(SEARCH, text=text))["search"]
        assert found["totalCount"] == 0, text
    assert (await data(SEARCH, text="penang"))["search"]["totalCount"] == 4
