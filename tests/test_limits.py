"""Query limits: every limit rejects before execution, naming itself and the value found."""

import asyncio
import math
from collections.abc import Sequence
from typing import Any

import httpx
import pytest
from conftest import ClientFor, GraphQL, StatementCounter, client_of, started
from databases import ON_POSTGRESQL
from graphql import get_introspection_query
from starlette.applications import Starlette

from db.statements import Statements
from schema.limits import Limits
from schema.list_sizes import ListSizes
from server.settings import Settings


def _nested(levels: int) -> str:
    """An introspection query `levels` fields deep, most of them `ofType`."""
    inner = "name"
    for _ in range(levels - 5):
        inner = f"ofType {{ {inner} }}"
    return f"{{ __schema {{ types {{ fields {{ type {{ {inner} }} }} }} }} }}"


def _deep(levels: int) -> str:
    """A query `levels` fields deep, from a country to its posts, their countries, their posts, …"""
    inner = "name"
    path = ["country" if level % 2 else "missions" for level in range(levels - 2)]
    for field in reversed(path):
        inner = f"{field} {{ {inner} }}"
    return f'{{ country(code: "BE") {{ {inner} }} }}'


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _limit(body: dict[str, Any]) -> dict[str, Any]:
    assert "data" not in body, "a limit must stop the request before execution"
    extensions: dict[str, Any] = body["errors"][0]["extensions"]
    assert extensions["code"] == "LIMIT_EXCEEDED"
    return extensions


async def test_a_200_level_introspection_query_is_rejected_for_depth(
    client: httpx.AsyncClient,
) -> None:
    body = await _post(client, _nested(200))
    assert _limit(body) == {
        "code": "LIMIT_EXCEEDED",
        "limit": "max_depth",
        "found": 200 - 8,  # the first eight `ofType` levels are free, as in standard introspection
        "allowed": 12,
    }
    assert "BILATERAL_MAX_DEPTH" in body["errors"][0]["message"]


async def test_the_standard_introspection_query_is_within_the_limits(
    client: httpx.AsyncClient,
) -> None:
    body = await _post(client, get_introspection_query(descriptions=True))
    assert "errors" not in body and body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_a_query_at_the_depth_limit_runs(
    client: httpx.AsyncClient, client_for: ClientFor
) -> None:
    # Lists nested this deep are far beyond the node estimate; here only depth is at issue.
    async with client_for(limits=Limits(max_nodes=10**9)) as lenient:
        assert "errors" not in await _post(lenient, _deep(12))
        assert _limit(await _post(lenient, _deep(13)))["found"] == 13
    body = await _post(client, _nested(12))
    assert "errors" not in body


async def test_depth_counts_through_fragments(client: httpx.AsyncClient) -> None:
    inner = _deep(13).removeprefix("{ ").removesuffix(" }")
    query = f"query {{ ...A }} fragment A on Query {{ {inner} }}"
    assert _limit(await _post(client, query))["found"] == 13


async def test_aliases_beyond_30_are_rejected(client: httpx.AsyncClient) -> None:
    fields = " ".join(f"a{i}: __typename" for i in range(31))
    extensions = _limit(await _post(client, f"{{ {fields} }}"))
    assert (extensions["limit"], extensions["found"]) == ("max_aliases", 31)


async def test_2000_aliases_are_rejected(client: httpx.AsyncClient) -> None:
    fields = " ".join(f"a{i}: __typename" for i in range(2000))
    assert _limit(await _post(client, f"{{ {fields} }}"))["limit"] in {"max_aliases", "max_tokens"}


async def test_10000_copies_of_one_field_are_rejected_for_tokens(client: httpx.AsyncClient) -> None:
    query = "{ " + "x " * 10_000 + "}"
    extensions = _limit(await _post(client, query))
    assert (extensions["limit"], extensions["found"], extensions["allowed"]) == (
        "max_tokens",
        10_002,
        5000,
    )


def _under(sizes: ListSizes, type_name: str, field: str, parents: float) -> float:
    """The items a plain list (or a connection unpaged) is expected to hold under this many
    parents, none of them named, as schema.limits.estimate_nodes counts them: the mean
    over all parents for each, but together at least the geometric mean of that mean and
    the typical list (under one parent or more)."""
    figures = sizes.measured(type_name, field)
    assert figures is not None
    between = math.sqrt(figures.mean * figures.typical)
    return max(parents * figures.mean, min(parents, 1.0) * between)


async def test_the_node_estimate_multiplies_down_a_path_and_caps_pages_at_the_data(
    client_for: ClientFor,
) -> None:
    query = """query($n: Int) { countries(first: $n) { nodes { code events(first: 100) {
        nodes { participants { role } } } } } }"""
    async with client_for(limits=Limits(max_nodes=100)) as client:
        sizes = client._transport.app.state.operations.sizes  # type: ignore[attr-defined]
        # The article's most attended event has 5 participants.
        participants = sizes.measured("Event", "participants")
        assert participants.longest == 5 and participants.rows > participants.groups
        countries = sizes.root("countries")
        assert countries is not None and countries > 100

        def expected(n: int) -> int:
            # The connection, its n countries, each one's events connection, the events a
            # country is expected to have (fewer than the 100 asked), their participants.
            events = _under(sizes, "Country", "events", n)
            assert events < 100 * n
            found = 1 + n + n + events + _under(sizes, "Event", "participants", events)
            return math.ceil(found - 1e-9)

        extensions = _limit(await _post(client, query, n=100))
        assert extensions == {
            "code": "LIMIT_EXCEEDED",
            "limit": "max_nodes",
            "found": expected(100),
            "allowed": 100,
        }
        small = await _post(client, query, n=5)
        assert "errors" not in small and len(small["data"]["countries"]["nodes"]) == 5
        assert small["extensions"]["cost"]["estimatedNodes"] == expected(5)


async def test_limits_are_set_from_settings(client_for: ClientFor) -> None:
    async with client_for(limits=Limits(max_depth=3)) as client:
        extensions = _limit(
            await _post(client, '{ country(code: "BE") { missions { country { name } } } }')
        )
        assert (extensions["found"], extensions["allowed"]) == (4, 3)


async def test_repeated_identical_fields_run_once(
    client: httpx.AsyncClient, statements: StatementCounter
) -> None:
    once = '{ relation(between: ["BE", "MY"]) { events { totalCount } } }'
    await _post(client, once)
    single = statements.count
    many = '{ relation(between: ["BE", "MY"]) { ' + "events { totalCount } " * 50 + "} }"
    body = await _post(client, many)
    assert body["data"] == {"relation": {"events": {"totalCount": 13}}}
    assert statements.count - single == single


async def test_a_slow_request_is_stopped_at_the_time_limit(
    client_for: ClientFor, slow_relations: None
) -> None:
    async with client_for(timeout_seconds=0.2, compiled=False) as client:
        body = await _post(client, '{ country(code: "BE") { relations { established } } }')
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert "0.2 s" in body["errors"][0]["message"]
        assert (await client.get("/healthz")).status_code == 200


# A statement that never ends by itself: it counts up without a limit.
ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT max(x) FROM c"


async def test_a_slow_compiled_statement_is_stopped_at_the_time_limit(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=database_url, seed_world=False, timeout_seconds=0.3)
    async with started(settings) as app, client_of(app) as client:
        statements: Statements = app.state.operations.plans.statements
        runner = type(statements)
        original = runner.text

        async def endless(
            self: Statements,
            sql: str,
            parameters: Sequence[Any] = (),
            timeout: float = 30,
            *,
            stable: bool = False,
        ) -> str:
            return await original(self, ENDLESS, (), timeout, stable=stable)

        monkeypatch.setattr(runner, "text", endless)
        body = await _post(client, '{ country(code: "BE") { relations { established } } }')
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert "0.3 s" in body["errors"][0]["message"]
        monkeypatch.setattr(runner, "text", original)
        # The statement was stopped, not left running: the next one gets its connection.
        after = await client.post("/graphql", json={"query": '{ country(code: "BE") { name } }'})
        assert after.headers["x-bilateral-execution"] == "compiled"
        assert after.json()["data"] == {"country": {"name": "Belgium"}}


async def test_every_answer_reports_its_cost(client: httpx.AsyncClient) -> None:
    query = '{ country(code: "MY") { name embassies { name heads { title } } } }'
    body = (await client.post("/graphql", json={"query": query})).json()
    # The client's budget, charged the objects returned (schema.budget).
    assert body["extensions"]["cost"].pop("rateLimit")["charged"] == 1 + 1 + 2
    # The objects expected: the country, its one embassy (Malaysia's own count, the
    # narrowing to embassies counted once), and the heads a post is expected to have.
    cost = body["extensions"]["cost"]
    assert (cost["maxNodes"], cost["returnedObjects"]) == (50_000, 1 + 1 + 2)
    assert 1 + 1 + 1 <= cost["estimatedNodes"] <= 3 * (1 + 1 + 2)


async def test_a_dry_run_reports_the_cost_without_running(
    app: Starlette, client: httpx.AsyncClient, client_for: ClientFor
) -> None:
    sizes = app.state.operations.sizes
    events = min(50, sizes.root("events"))
    participants = math.ceil(1 + events + _under(sizes, "Event", "participants", events) - 1e-9)
    query = "{ events(first: 50) { nodes { title participants { role } } } }"
    response = await client.post(
        "/graphql", json={"query": query}, headers={"X-Bilateral-Dry-Run": "true"}
    )
    body = response.json()
    assert body["extensions"]["cost"].pop("rateLimit")["charged"] == 0  # a dry run is free
    assert body == {
        "data": None,
        "extensions": {"cost": {"estimatedNodes": participants, "maxNodes": 50_000}},
    }
    async with client_for(limits=Limits(max_nodes=participants - 1)) as small:
        too_big = await small.post(
            "/graphql", json={"query": query}, headers={"X-Bilateral-Dry-Run": "1"}
        )
    assert too_big.json()["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_the_estimate_collects_fields_as_the_executor_does(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    async def estimate(query: str, **variables: object) -> int:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"X-Bilateral-Dry-Run": "true"},
        )
        found: int = response.json()["extensions"]["cost"]["estimatedNodes"]
        return found

    listed = "events(first: 50) { nodes { title participants { role } } }"
    sizes = app.state.operations.sizes
    events = sizes.root("events")
    assert 7 < events < 50  # the page counts what there is to page through
    participants = math.ceil(1 + events + _under(sizes, "Event", "participants", events) - 1e-9)
    assert await estimate(f"{{ {listed} }}") == participants
    # A field skipped by a variable costs nothing; one asked for twice under one key, once.
    skipped = "query($on: Boolean!) { events(first: 50) @include(if: $on) { nodes { title } } }"
    assert await estimate(skipped, on=False) == 0
    assert await estimate(skipped, on=True) == 1 + events
    assert await estimate(f"{{ {listed} {listed} }}") == participants
    # A page size from a variable, through a fragment.
    fragment = """query($n: Int) { ...Page } fragment Page on Query { events(first: $n) {
        nodes { title } } }"""
    assert await estimate(fragment, n=7) == 1 + 7
    assert await estimate(fragment) == 1 + min(20, events)  # the default page size
    # A list of the objects some IDs name: one for each.
    assert await estimate('{ nodes(ids: ["TWlzc2lvbjox", "TWlzc2lvbjoy"]) { id } }') == 2


async def test_a_write_that_makes_a_list_longer_counts_soon_after(
    app: Starlette, editor: GraphQL, data: GraphQL
) -> None:
    sizes = app.state.operations.sizes
    assert sizes.measured("Event", "participants").longest == 5
    found = await data(
        """{ events(first: 100) { nodes { id participants { role } } }
            countries(first: 3) { nodes { id } } }"""
    )
    busiest = max(found["events"]["nodes"], key=lambda event: len(event["participants"]))
    for country in found["countries"]["nodes"]:
        added = await editor(
            """mutation($e: ID!, $p: ID!) { addParticipant(input: {event: $e, participant: $p}) {
                userErrors { code } } }""",
            e=busiest["id"],
            p=country["id"],
        )
        assert added["data"]["addParticipant"]["userErrors"] == []
    for _ in range(300):  # the figures are read again in the background a second after a write
        if sizes.measured("Event", "participants").longest == 5 + 3:
            break
        await asyncio.sleep(0.02)
    assert sizes.measured("Event", "participants").longest == 5 + 3


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's statements queue on one connection")
async def test_sqlite_statements_waiting_or_running_stop_at_their_own_time_limits(
    app: Starlette,
) -> None:
    statements: Statements = app.state.operations.plans.statements
    endless = asyncio.ensure_future(statements.text(ENDLESS, (), 0.5))
    await asyncio.sleep(0.05)  # it is running now
    # Behind it, one with a shorter limit: it runs out of time waiting, and never runs.
    with pytest.raises(TimeoutError):
        await statements.text("SELECT 'waited'", (), 0.1)
    assert not endless.done()  # the running one was not stopped for the other's sake
    with pytest.raises(TimeoutError):
        await endless
    # A caller that leaves stops its statement too.
    left = asyncio.ensure_future(statements.text(ENDLESS, (), 30))
    await asyncio.sleep(0.05)
    left.cancel()
    with pytest.raises(asyncio.CancelledError):
        await left
    assert await asyncio.wait_for(statements.text("SELECT 'next'"), 2) == "next"


async def test_a_named_parent_counts_its_own_list_and_others_the_mean(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    async def estimate(query: str) -> int:
        response = await client.post(
            "/graphql", json={"query": query}, headers={"X-Bilateral-Dry-Run": "true"}
        )
        found: int = response.json()["extensions"]["cost"]["estimatedNodes"]
        return found

    sizes = app.state.operations.sizes
    malaysia = sizes.identify("country", {"code": "MY"})
    assert malaysia is not None
    posts = sizes.measured("Country", "missions").of(malaysia[1])  # Malaysia's own count
    assert posts == 1
    # The posts of the one country named count its own; their accreditations as many as
    # one post typically has.
    own = '{ country(code: "MY") { missions { accreditations { from } } } }'
    accredited = _under(sizes, "Mission", "accreditations", posts)
    assert await estimate(own) == math.ceil(1 + posts + accredited - 1e-9)
    # Through a post's host country, a list under a country not named: the mean for it.
    repeated = """{ country(code: "MY") { missions { hostCountry {
        hostedMissions { accreditations { from } } } } } }"""
    hosting = _under(sizes, "Country", "hostedMissions", posts)
    further = _under(sizes, "Mission", "accreditations", hosting)
    assert await estimate(repeated) == math.ceil(1 + 2 * posts + hosting + further - 1e-9)


@pytest.mark.parametrize(
    ("query", "argument"),
    [
        ("{ countries(first: 101) { nodes { code } } }", "first"),
        ('{ missions(country: "MY", last: 150) { nodes { name } } }', "last"),
        ('{ country(code: "BE") { events(first: 101) { totalCount } } }', "first"),
    ],
)
async def test_a_page_over_100_is_a_limit_error_like_every_other(
    client: httpx.AsyncClient, query: str, argument: str
) -> None:
    # As every limit error: the limit, the value found and the value allowed.
    body = await _post(client, query)
    [error] = body["errors"]
    found = int(query.split(f"{argument}: ")[1].split(")")[0])
    assert error["extensions"] == {
        "code": "LIMIT_EXCEEDED",
        "limit": argument,
        "found": found,
        "allowed": 100,
    }
    negative = await _post(client, query.replace(str(found), "-1"))
    assert negative["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
