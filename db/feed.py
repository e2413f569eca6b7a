"""The feed of committed changes, for live subscriptions, in every server process.

On PostgreSQL a write announces its change with NOTIFY inside its own transaction, so
the announcement goes out on commit and never for a write that was rolled back; every
process LISTENs and passes what it hears to its own subscribers. On SQLite (one
process) the writer hands its changes to the feed itself, once they are committed.

Subscribers each get a bounded queue. Publishing never waits: a subscriber whose queue
is full has fallen too far behind, and is cut off rather than slowing the writers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger("bilateral.feed")

CHANNEL = "bilateral_changes"
QUEUE_SIZE = 100


class FellBehind(Exception):
    """A subscriber did not keep up with the feed and was cut off."""


def heard_everywhere(session: AsyncSession) -> bool:
    """Whether this database carries announcements to every process (PostgreSQL's NOTIFY)."""
    return session.get_bind().dialect.name == "postgresql"


async def announce(session: AsyncSession, change_ids: Sequence[int]) -> None:
    """Announce changes when their transaction commits (PostgreSQL), or mark them for the writer to hand on."""
    if not change_ids:
        return
    if heard_everywhere(session):
        await session.execute(
            text("SELECT pg_notify(:channel, id::text) FROM unnest(CAST(:ids AS bigint[])) AS id"),
            {"channel": CHANNEL, "ids": list(change_ids)},
        )
    else:
        session.info.setdefault("announced", []).extend(change_ids)


class Subscriber:
    """One subscription's view of the feed: the ids of changes, in commit order."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[int] = asyncio.Queue(QUEUE_SIZE)
        self.behind = False

    def offer(self, change_id: int) -> None:
        if not self.behind:
            try:
                self.queue.put_nowait(change_id)
            except asyncio.QueueFull:
                self.behind = True

    async def next(self) -> int:
        """The next change's id; FellBehind once the queue has overflowed."""
        if self.behind:
            raise FellBehind
        return await self.queue.get()


class Feed:
    """This process's subscribers, and (on PostgreSQL) its one listening connection."""

    def __init__(self) -> None:
        self.subscribers: set[Subscriber] = set()
        self._listener: Any = None

    def publish(self, change_ids: Sequence[int]) -> None:
        """Hand committed changes to every subscriber, without waiting for any."""
        for change_id in change_ids:
            for subscriber in list(self.subscribers):
                subscriber.offer(change_id)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[Subscriber]:
        subscriber = Subscriber()
        self.subscribers.add(subscriber)
        try:
            yield subscriber
        finally:
            self.subscribers.discard(subscriber)

    def listen(self, dsn: str) -> None:
        """On PostgreSQL, hear every process's announcements on a connection to `dsn` (asyncpg's
        form, `Database.listen_dsn`), reconnecting whenever the line drops."""
        self._listener = asyncio.create_task(self._keep_listening(dsn))

    async def _keep_listening(self, dsn: str) -> None:
        import asyncpg

        while True:
            dropped = asyncio.Event()
            try:
                connection = await asyncpg.connect(dsn, timeout=5)
                try:
                    connection.add_termination_listener(lambda _, dropped=dropped: dropped.set())
                    await connection.add_listener(CHANNEL, self._heard)
                    await dropped.wait()
                finally:
                    # Closed however the wait ends, shutdown's cancellation included.
                    connection.terminate()
            except (TimeoutError, OSError, asyncpg.PostgresError) as error:
                log.warning("cannot listen for changes (%s); trying again", error)
            await asyncio.sleep(1)

    def _heard(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload.isdigit():
            self.publish([int(payload)])

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None
