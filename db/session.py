"""Sessions: one per request to read, one transaction at a time to write.

The engine and the session factory are made with the rest of the database in `db.database`
(re-exported here, where the tools and tests have always found them).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import Executable, Result, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import wal
from db.database import make_engine, make_sessions
from db.feed import Feed

__all__ = ["Reader", "Writer", "analyze", "make_engine", "make_sessions"]


async def analyze(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Statistics for the planner, after a bulk load.

    Without them a freshly loaded PostgreSQL database is planned as if its tables were
    empty until autovacuum catches up (the US country view took 2 s instead of 0.2).
    """
    async with sessions() as session:
        await session.execute(text("ANALYZE"))
        await session.commit()


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
