"""Relay connections both ways: `first`/`after` forwards, `last`/`before` backwards."""

from typing import Any

from conftest import GraphQL

EVENTS = """query($first: Int, $after: String, $last: Int, $before: String) {
  events(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    nodes { title }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""


async def _walk(data: GraphQL, query: str, path: list[str], forwards: bool) -> list[str]:
    """Every title, page by page of 5, from the start or from the end."""
    titles: list[str] = []
    cursor = None
    while True:
        variables: dict[str, Any] = (
            {"first": 5, "after": cursor} if forwards else {"last": 5, "before": cursor}
        )
        found: Any = await data(query, **variables)
        for step in path:
            found = found[step]
        page = [node["title"] for node in found["nodes"]]
        info = found["pageInfo"]
        if forwards:
            titles += page
            if not info["hasNextPage"]:
                return titles
            cursor = info["endCursor"]
        else:
            titles = page + titles
            if not info["hasPreviousPage"]:
                return titles
            cursor = info["startCursor"]


async def test_paging_backwards_gives_the_same_items_as_forwards(data: GraphQL) -> None:
    forwards = await _walk(data, EVENTS, ["events"], forwards=True)
    backwards = await _walk(data, EVENTS, ["events"], forwards=False)
    assert len(forwards) == 19 == len(set(forwards))
    assert backwards == forwards


async def test_the_last_page_says_what_precedes_and_follows_it(data: GraphQL) -> None:
    last = (await data(EVENTS, last=3))["events"]
    everything = (await data(EVENTS, first=100))["events"]
    titles = [node["title"] for node in everything["nodes"]]
    assert [node["title"] for node in last["nodes"]] == titles[-3:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    assert last["pageInfo"]["hasNextPage"] is False
    before = (await data(EVENTS, last=2, before=last["pageInfo"]["startCursor"]))["events"]
    assert [node["title"] for node in before["nodes"]] == titles[-5:-3]
    assert before["pageInfo"]["hasNextPage"] is True
    between = (
        await data(
            EVENTS,
            first=10,
            after=everything["pageInfo"]["startCursor"],
            before=last["pageInfo"]["startCursor"],
        )
    )["events"]
    assert [node["title"] for node in between["nodes"]] == titles[1:-3][:10]


async def test_nested_connections_page_backwards_too(data: GraphQL) -> None:
    query = """query($last: Int, $before: String) { country(code: "MY") {
        events(last: $last, before: $before) {
          nodes { title } pageInfo { hasPreviousPage startCursor } } } }"""
    walked = await _walk(data, query, ["country", "events"], forwards=False)
    forwards = await data('{ country(code: "MY") { events(first: 100) { nodes { title } } } }')
    assert walked == [node["title"] for node in forwards["country"]["events"]["nodes"]]
    people = await data(
        """{ people(search: "Anwar") { nodes { participations(last: 1) {
            nodes { event { title } } pageInfo { hasPreviousPage hasNextPage } } } } }"""
    )
    [anwar] = people["people"]["nodes"]  # he took part in one event: it is the last one
    assert anwar["participations"] == {
        "nodes": [{"event": {"title": "Prime Minister Anwar Ibrahim's working visit to Belgium"}}],
        "pageInfo": {"hasPreviousPage": False, "hasNextPage": False},
    }


async def test_first_and_last_together_are_refused(graphql: GraphQL) -> None:
    body = await graphql(EVENTS, first=2, last=2)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "'first' and 'last'" in error["message"]
    bad = await graphql(EVENTS, last=2, before="nope")
    assert bad["errors"][0]["message"] == (
        "Argument 'before' is not a cursor of this connection: 'nope'."
    )
    too_many = await graphql(EVENTS, last=101)
    assert too_many["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
