"""Operations over WebSocket are held to the same limits and checks as over HTTP, on a real socket."""

import asyncio
import contextlib
import gzip
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets
from conftest import listening
from databases import ON_POSTGRESQL
from releases import import_release, release_file
from servers import post, serving
from sockets import Subscriber, _create_event, _in_thread, _prepare

from schema.limits import Limits
from schema.subscription import FELL_BEHIND
from seed.load import WORLD
from server.settings import Settings


async def _operate(
    base: str, query: str, init: dict[str, Any] | None = None, **variables: Any
) -> list[dict[str, Any]]:
    """Run one operation over a new socket: the messages that answer it, up to its end."""
    async with _connected(base, init) as socket:
        return await _ask(socket, "1", query, **variables)


@contextlib.asynccontextmanager
async def _connected(base: str, init: dict[str, Any] | None = None) -> AsyncIterator[Any]:
    """A socket that has said connection_init and heard connection_ack."""
    url = base.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        yield socket


async def _ask(socket: Any, operation: str, query: str, **variables: Any) -> list[dict[str, Any]]:
    """Run one operation on an open socket: the messages that answer it, up to its end."""
    payload = {"query": query, "variables": variables}
    await socket.send(json.dumps({"id": operation, "type": "subscribe", "payload": payload}))
    messages = []
    while True:
        message = json.loads(await asyncio.wait_for(socket.recv(), 10))
        messages.append(message)
        if message["type"] in ("complete", "error"):
            return messages


RENAME = """mutation($id: ID!) { updateEvent(input: {id: $id, title: "Renamed"}) {
    userErrors { code } } }"""


async def _first_event(base: str) -> str:
    """The global ID of the first event a served app lists."""
    found: Any = await _in_thread(post, base, "{ events(first: 1) { nodes { id } } }")
    event: str = found["data"]["events"]["nodes"][0]["id"]
    return event


DEEP = """subscription { eventAdded { countries { relations { countries { relations {
    countries { relations { countries { code } } } } } } } } }"""


# Slow: servers in processes of their own.
@pytest.mark.slow
async def test_the_configured_limits_hold_over_the_socket(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    limits = {"BILATERAL_MAX_DEPTH": "5", "BILATERAL_MAX_NODES": "40"}
    with serving(database_url, environment=limits) as base:
        [deep] = await _operate(base, DEEP)
        assert deep["type"] == "error"
        assert deep["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert deep["payload"][0]["extensions"]["limit"] == "max_depth"
        big_query = "{ events(first: 100) { nodes { participants { role } } } }"
        [big] = await _operate(base, big_query)
        over_http: Any = await _in_thread(post, base, big_query)
        assert big["payload"][0]["extensions"] == {
            "code": "LIMIT_EXCEEDED",
            "limit": "max_nodes",
            "found": over_http["errors"][0]["extensions"]["found"],
            "allowed": 40,
        }
        [wrong] = await _operate(base, "query($c: String!) { country(code: $c) { name } }", c=5)
        assert wrong["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        [unknown] = await _operate(base, "{ nosuchfield }")
        assert unknown["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        answered, _ = await _operate(base, '{ country(code: "MY") { name } }')
        assert answered["payload"]["data"] == {"country": {"name": "Malaysia"}}
        assert answered["payload"]["extensions"]["cost"]["returnedObjects"] == 1


# Participants are a plain list: the estimate counts the mean list of them in the data.
MEASURED = "{ events(first: 10) { nodes { title participants { role } } } }"
REFUSED = "{ events(first: 100) { nodes { participants { role } } } }"


async def test_a_document_gets_the_same_estimate_and_errors_over_the_socket_as_over_http(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url, seed_world=False, limits=Limits(max_nodes=40))
    async with listening(settings) as base, httpx.AsyncClient(base_url=base) as http:
        over_http = (await http.post("/graphql", json={"query": MEASURED})).json()
        answered, done = await _operate(base, MEASURED)
        assert (answered["type"], done["type"]) == ("next", "complete")
        # One budget for both transports: the socket's request spends after the HTTP one.
        rated_http = over_http["extensions"]["cost"].pop("rateLimit")
        rated_socket = answered["payload"]["extensions"]["cost"].pop("rateLimit")
        assert rated_socket["used"] == rated_http["used"] + rated_socket["charged"]
        assert answered["payload"] == over_http  # data, and the same cost
        estimate = over_http["extensions"]["cost"]["estimatedNodes"]
        longest = 10 + 10 * Limits().list_size  # what the estimate would be without measuring
        assert 10 < estimate < longest  # the participants' lists are measured, not assumed

        refused_over_http = (await http.post("/graphql", json={"query": REFUSED})).json()
        [refused] = await _operate(base, REFUSED)
        assert refused["type"] == "error"
        assert refused["payload"] == refused_over_http["errors"]
        assert refused["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert refused["payload"][0]["extensions"]["found"] <= 100 * (1 + Limits().list_size)


# Slow: servers in processes of their own.
@pytest.mark.slow
async def test_a_token_in_connection_init_authorizes_a_mutation(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        refused, *_ = await _operate(base, _create_event("Without a token"))
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        init = {"Authorization": f"Bearer {token}"}
        written, _ = await _operate(base, _create_event("With a token"), init)
        assert written["payload"]["data"] == {"createEvent": {"userErrors": []}}


# Slow: servers in processes of their own.
@pytest.mark.slow
async def test_changed_delivers_the_changes_of_one_object(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        event = await _first_event(base)
        query = f'subscription {{ changed(target: "{event}") {{ action actor after }} }}'
        async with Subscriber(base, query) as subscriber:
            await _in_thread(post, base, _create_event("Another event"), token)  # not it
            await asyncio.to_thread(post, base, RENAME, token, id=event)
            message = await subscriber.next(timeout=5)
            assert message["payload"]["data"]["changed"]["action"] == "updateEvent"
            assert message["payload"]["data"]["changed"]["after"]["title"] == "Renamed"


# Slow: servers in processes of their own.
@pytest.mark.slow
async def test_each_operation_on_a_socket_reads_the_data_afresh(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        event = await _first_event(base)
        query = "query($id: ID!) { node(id: $id) { ... on Event { title } } }"
        async with _connected(base) as socket:
            before, _ = await _ask(socket, "1", query, id=event)
            assert before["payload"]["data"]["node"]["title"] != "Renamed"
            await asyncio.to_thread(post, base, RENAME, token, id=event)
            after, _ = await _ask(socket, "2", query, id=event)
            assert after["payload"]["data"]["node"]["title"] == "Renamed"


async def test_a_slow_operation_over_the_socket_stops_at_the_time_limit(
    database_url: str, slow_relations: None
) -> None:
    # The relations are slowed on the resolvers, which answer every query with compiled SQL off.
    settings = Settings(
        database_url=database_url, seed_world=False, timeout_seconds=0.2, compiled=False
    )
    async with listening(settings) as base:
        query = '{ country(code: "BE") { relations { established } } }'
        stopped, done = await _operate(base, query)
        assert stopped["type"] == "next"
        assert stopped["payload"]["data"] is None
        [error] = stopped["payload"]["errors"]
        assert error["extensions"]["code"] == "TIMEOUT"
        assert "0.2 s" in error["message"]
        assert done["type"] == "complete"
        # A subscription outlives the limit: it is still there, waiting for events.
        async with Subscriber(base, "subscription { eventAdded { title } }") as subscriber:
            with pytest.raises(TimeoutError):
                await subscriber.next(timeout=0.5)


# Slow: servers in processes of their own.
@pytest.mark.slow
@pytest.mark.skipif(
    not ON_POSTGRESQL, reason="an import from another process reaches a server on PostgreSQL only"
)
async def test_a_subscriber_that_falls_behind_is_cut_off(
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    # 300 new posts in one transaction: 300 changes announced at its commit, more than a
    # subscriber's queue holds (100), all at once.
    rows = gzip.decompress(WORLD.read_bytes()).decode("utf-8").split("\n")[1:301]
    release = release_file(tmp_path, rows)
    with serving(database_url) as base:
        async with Subscriber(base, "subscription { changed { action } }") as subscriber:
            code = await asyncio.to_thread(import_release, database_url, monkeypatch, release)
            assert code == 0
            delivered = 0
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while True:
                    message = await subscriber.next(timeout=10)
                    assert (
                        message["payload"]["data"]["changed"]["action"] == "importWikidataMissions"
                    )
                    delivered += 1
            assert closed.value.rcvd is not None
            assert closed.value.rcvd.code == FELL_BEHIND
            assert delivered < 300
