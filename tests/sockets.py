"""A graphql-transport-ws client, and a served database with an editor's token, for socket tests."""

import asyncio
import json
from typing import Any

import pytest
import websockets

from db.migrate import upgrade
from server.cli import main

SOURCE = '[{title: "Bernama"}]'
# How long a test waits for a message it expects: a guard against hanging, not a measure.
GUARD = 30


def _create_event(title: str, countries: str = '["BE", "MY"]') -> str:
    return f"""mutation {{ createEvent(input: {{title: "{title}", kind: POLITICAL, date: "2026-05",
        summary: "A visit.", countries: {countries}, sources: {SOURCE}}}) {{ userErrors {{ code }} }} }}"""


def _create_person(name: str) -> str:
    return f'mutation {{ createPerson(input: {{name: "{name}"}}) {{ userErrors {{ code }} }} }}'


def _prepare(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> str:
    """Set up the database (schema, article) and return an editor's token."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    upgrade(database_url)
    assert main(["seed"]) == 0
    capsys.readouterr()
    assert main(["token", "create", "--name", "live", "--role", "editor"]) == 0
    return capsys.readouterr().out.strip()


class Subscriber:
    """A graphql-transport-ws client with one subscription."""

    def __init__(self, base: str, query: str) -> None:
        self.url = base.replace("http://", "ws://") + "/graphql"
        self.query = query

    async def __aenter__(self) -> "Subscriber":
        self.socket = await websockets.connect(self.url, subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
        await self.socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(await self.socket.recv())["type"] == "connection_ack"
        await self.socket.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": self.query}})
        )
        await asyncio.sleep(0.3)  # let the server register the subscription
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.socket.close()

    async def next(self, timeout: float = GUARD) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), timeout))
        return message


async def _in_thread(function: Any, *args: Any) -> Any:
    return await asyncio.to_thread(function, *args)
