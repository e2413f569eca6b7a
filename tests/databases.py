"""Test databases: a fresh one for each use, on SQLite, or on PostgreSQL when TEST_DATABASE_URL says so.

    TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test make test

creates a database of its own on that server for every test and drops it after.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from db.session import make_engine

T = TypeVar("T")

SERVER_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_POSTGRESQL = SERVER_URL.startswith("postgresql")


def run_apart(work: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to the end on an event loop of its own, from sync or async code alike."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()  # type: ignore[arg-type]


async def _on_server(statement: str) -> None:
    engine = create_async_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


class Databases:
    """Makes fresh, empty databases for one test and removes them after it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: list[str] = []

    def new(self) -> str:
        """The URL of a new, empty database."""
        name = f"bilateral_test_{uuid.uuid4().hex[:12]}"
        if ON_POSTGRESQL:
            run_apart(partial(_on_server, f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)
        return f"sqlite+aiosqlite:///{self.folder / (name + '.db')}"

    def drop_all(self) -> None:
        for name in self.made:
            run_apart(partial(_on_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _tables(connection: Any) -> list[str]:
    # FTS5 keeps its index in tables of its own; their contents are its business.
    return [
        name
        for name in inspect(connection).get_table_names()
        if not name.startswith("search_index_")
    ]


async def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(_tables)
            return {name: await _rows(connection, name) for name in names}
    finally:
        await engine.dispose()


async def _rows(connection: AsyncConnection, name: str) -> list[tuple[Any, ...]]:
    if name == "search_index":  # on SQLite a virtual table the inspector does not list
        columns = [text("kind"), text("ref_id"), text("name"), text("body"), text("extra")]
        result = await connection.execute(select(*columns).select_from(table(name)))
    else:
        result = await connection.execute(select(text("*")).select_from(table(name)))
    return sorted((tuple(row) for row in result), key=repr)


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a database, in a comparable order."""
    return run_apart(lambda: _dump(url))


def row_counts(url: str) -> dict[str, int]:
    """How many rows each table of a database holds."""
    return {name: len(rows) for name, rows in dump(url).items()}
