"""Operations over WebSocket are held to the same limits and checks as over HTTP, on a real socket."""

import asyncio
import json
from typing import Any

import pytest
import websockets
from servers import post, serving
from sockets import Subscriber, _create_event, _in_thread, _prepare


async def _operate(
    base: str, query: str, init: dict[str, Any] | None = None, **variables: Any
) -> list[dict[str, Any]]:
    """Run one operation over a new socket: the messages that answer it, up to its end."""
    url = base.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(url, subprotocols=["graphql-transport-ws"]) as socket:  # type: ignore[list-item]
        await socket.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        payload = {"query": query, "variables": variables}
        await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
        messages = []
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), 10))
            messages.append(message)
            if message["type"] in ("complete", "error"):
                return messages


DEEP = """subscription { eventAdded { countries { relations { countries { relations {
    countries { relations { countries { code } } } } } } } } }"""


async def test_the_configured_limits_hold_over_the_socket(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    limits = {"BILATERAL_MAX_DEPTH": "5", "BILATERAL_MAX_NODES": "100"}
    with serving(database_url, environment=limits) as base:
        [deep] = await _operate(base, DEEP)
        assert deep["type"] == "error"
        assert deep["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert deep["payload"][0]["extensions"]["limit"] == "max_depth"
        [big] = await _operate(base, "{ events(first: 100) { nodes { participants { role } } } }")
        assert big["payload"][0]["extensions"] == {
            "code": "LIMIT_EXCEEDED",
            "limit": "max_nodes",
            "found": 2100,
            "allowed": 100,
        }
        [wrong] = await _operate(base, "query($c: String!) { country(code: $c) { name } }", c=5)
        assert wrong["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        [unknown] = await _operate(base, "{ nosuchfield }")
        assert unknown["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        answered, _ = await _operate(base, '{ country(code: "MY") { name } }')
        assert answered["payload"] == {"data": {"country": {"name": "Malaysia"}}}


async def test_a_token_in_connection_init_authorizes_a_mutation(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        refused, *_ = await _operate(base, _create_event("Without a token"))
        assert refused["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        init = {"Authorization": f"Bearer {token}"}
        written, _ = await _operate(base, _create_event("With a token"), init)
        assert written["payload"] == {"data": {"createEvent": {"userErrors": []}}}


async def test_changed_delivers_the_changes_of_one_object(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        found: Any = await _in_thread(post, base, "{ events(first: 1) { nodes { id } } }")
        event = found["data"]["events"]["nodes"][0]["id"]
        query = f'subscription {{ changed(target: "{event}") {{ action actor after }} }}'
        async with Subscriber(base, query) as subscriber:
            await _in_thread(post, base, _create_event("Another event"), token)  # not it
            update = (
                'mutation($id: ID!) { updateEvent(input: {id: $id, title: "Renamed"}) '
                "{ userErrors { code } } }"
            )
            await asyncio.to_thread(post, base, update, token, id=event)
            message = await subscriber.next(timeout=5)
            assert message["payload"]["data"]["changed"]["action"] == "updateEvent"
            assert message["payload"]["data"]["changed"]["after"]["title"] == "Renamed"
