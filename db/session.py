"""Engines and sessions: one engine per process, one session per request."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Executable, Result, event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from db import sqlite_driver, sqlite_functions, wal
from db.feed import Feed

T = TypeVar("T")


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str, *, pooled: bool = False) -> AsyncEngine:
    """An async engine for the URL: SQLite set up to enforce foreign keys, PostgreSQL to fail fast.

    Connections are checked before use (pre-ping), so after the database comes back the
    pool recovers by itself; while it is away, connecting gives up after a few seconds
    instead of hanging a request. `pooled`: the URL leads to a pooler in transaction mode.
    """
    # JSON columns (the change log's snapshots) hold text as a response writes it: UTF-8,
    # not \u escapes, so that a compiled query can pass it on as it is.
    options: dict[str, Any] = {"pool_pre_ping": True, "json_serializer": _json_text}
    if url.startswith("postgresql"):
        connect_args: dict[str, Any] = {"timeout": 3, "command_timeout": 30}
        if pooled:
            connect_args |= UNPREPARED
        options |= {"pool_timeout": 5, "connect_args": connect_args}
    elif url.startswith("sqlite+aiosqlite"):
        options["module"] = sqlite_driver.dbapi()
    engine = create_async_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


# asyncpg through a pooler in transaction mode (PgBouncer before 1.21 tracks no prepared
# statements): no statement is kept prepared for reuse, and each one SQLAlchemy prepares
# for a transaction is named uniquely, so two clients sharing a server connection never
# collide on asyncpg's counter-based names.
UNPREPARED: dict[str, Any] = {
    "statement_cache_size": 0,
    "prepared_statement_cache_size": 0,
    "prepared_statement_name_func": lambda: f"__bilateral_{uuid.uuid4().hex}__",
}


def _configure_sqlite(connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the one writer
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe, and far fewer fsyncs
    cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB of pages: big tables stay in memory
    cursor.close()
    # What SQLite lacks that compiled queries use (base64 for global IDs and cursors, …).
    for name, arity, function in sqlite_functions.FUNCTIONS:
        connection.create_function(name, arity, function, deterministic=True)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory the app, the seed loader and the tests share."""
    return async_sessionmaker(engine, expire_on_commit=False)


class Reader:
    """One request's read access: a single session whose statements run one at a time.

    DataLoaders dispatch their batches as concurrent tasks, but a session must not be
    used concurrently, so statements queue on a lock. One session also gives the
    whole request one consistent view of the data.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()

    async def execute(self, statement: Executable) -> Result[Any]:
        """Run one statement and return its buffered result."""
        async with self._lock:
            if self._session is None:
                self._session = self._sessions()
            return await self._session.execute(statement)

    async def scalars(self, statement: Executable) -> Sequence[Any]:
        """Run one statement and return the first column of every row."""
        return (await self.execute(statement)).scalars().all()

    async def close(self) -> None:
        """End the request's session, if one was opened (after any statement still running)."""
        async with self._lock:
            if self._session is not None:
                await self._session.close()
                self._session = None


class Writer:
    """Write transactions, one at a time in this process.

    SQLite allows one writer at a time anyway; queueing here, rather than in the
    database, means a writer never fails for a lock another request holds, and an
    optimistic-concurrency check sees the version the previous writer committed.

    With `positions` (PostgreSQL with replicas), each commit's position in the log is
    read afterwards and left in the session's `info["position"]`, for read-your-writes.
    """

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], feed: Feed, *, positions: bool = False
    ) -> None:
        self._sessions = sessions
        self._lock = asyncio.Lock()
        self._feed = feed
        self._positions = positions

    @property
    def feed(self) -> Feed:
        """Where committed changes are announced to live subscribers."""
        return self._feed

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction that commits on success and rolls back on any exception."""
        async with self._lock, self._sessions() as session:
            async with session.begin():
                yield session
            # Committed: changes not announced by the database itself go to the feed now.
            self._feed.publish(session.info.pop("announced", []))
            if self._positions:  # read after the commit, so that it lies past the commit record
                session.info["position"] = await wal.inserted(session)
