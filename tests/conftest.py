"""Fixtures: a fresh seeded SQLite database per test, and the app over HTTP in front of it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import event
from starlette.applications import Starlette

from server.app import create_app
from server.settings import Settings

GraphQL = Callable[..., Awaitable[dict[str, Any]]]
Failing = Callable[..., Awaitable[str]]


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'bilateral.db'}"


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Starlette]:
    """The real app on a fresh database, started (and so seeded with the article)."""
    application = create_app(Settings(database_url=database_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def graphql(client: httpx.AsyncClient) -> GraphQL:
    """POST a query and return the whole JSON answer, asserting the HTTP exchange worked."""

    async def send(query: str, **variables: Any) -> dict[str, Any]:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return send


@pytest.fixture
def data(graphql: GraphQL) -> GraphQL:
    """POST a query that must succeed and return its `data`."""

    async def send(query: str, **variables: Any) -> dict[str, Any]:
        body = await graphql(query, **variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    return send


@pytest.fixture
def error(graphql: GraphQL) -> Failing:
    """POST a query that must fail and return its first error's message, checked for leaks."""

    async def send(query: str, **variables: Any) -> str:
        body = await graphql(query, **variables)
        assert body.get("errors"), body
        message: str = body["errors"][0]["message"]
        assert "Traceback" not in message and "sqlalchemy" not in message.lower()
        return message

    return send


class StatementCounter:
    """Counts the SQL statements an engine runs while it is switched on."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_: Any) -> None:
        self.count += 1


@pytest.fixture
def statements(app: Starlette) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)
