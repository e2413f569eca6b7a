"""Where a request's reads go: the primary, or a streaming replica in turn.

Mutations, the change log and the subscription feed stay on the primary; read-only
operations go to the replicas that are in rotation, one after another. A replica is
checked every second: one that cannot be reached, or whose replay is further behind
the primary than the allowed lag, is taken out of rotation, and put back once a check
finds it reachable and caught up. With no replica in rotation, reads go to the primary.

Lag is measured in time: the primary's log position is sampled at each check, and a
replica is as far behind as the oldest sample it has not replayed yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy.exc

from db import wal
from db.database import LOOK_SECONDS, Database

log = logging.getLogger("bilateral.replicas")

CHECK_SECONDS = 1.0
# What a server that is down, starting, or unreachable raises while being checked.
UNREACHABLE = (OSError, TimeoutError, sqlalchemy.exc.DBAPIError)


@dataclass(eq=False)
class Replica:
    """A streaming replica, and whether reads are sent to it now."""

    database: Database
    in_rotation: bool = False
    replayed: int = 0  # its replay position at the last look
    lag_seconds: float | None = None  # how far behind it was at the last check; None: unknown
    taken_out: int = 0  # how many times it has left the rotation

    async def replay_position(self) -> int | None:
        """How far this server has replayed the primary's log (None: it is no standby)."""
        async with asyncio.timeout(LOOK_SECONDS), self.database.engine.connect() as connection:
            return await wal.replayed(connection)


@dataclass
class Replicas:
    """The primary and its replicas, and which replicas are in rotation."""

    primary: Database
    replicas: Sequence[Replica] = ()
    max_lag_seconds: float = 10.0
    _turn: int = 0
    _samples: deque[tuple[float, int]] = field(default_factory=deque)  # (when, primary position)
    _watching: asyncio.Task[None] | None = None

    async def choose(self, after: int | None = None) -> Database:
        """The server for one read-only operation: the next replica in turn that has replayed
        past `after` (a position the client's own writes reached), else the primary."""
        ready = [replica for replica in self.replicas if replica.in_rotation]
        for offset in range(len(ready)):
            replica = ready[(self._turn + offset) % len(ready)]
            if after is None or replica.replayed >= after:
                self._turn += offset + 1
                return replica.database
        if ready and after is not None:
            # The last check may be up to a second old: ask the next replica where it is now.
            replica = ready[self._turn % len(ready)]
            self._turn += 1
            try:
                replica.replayed = await replica.replay_position() or 0
            except UNREACHABLE as error:
                self._take_out(replica, f"unreachable ({error.__class__.__name__})")
                return self.primary
            if replica.replayed >= after:
                return replica.database
        return self.primary

    def take_out(self, database: Database, reason: str) -> None:
        """Send no more reads to a replica until a check finds it well again."""
        for replica in self.replicas:
            if replica.database is database:
                self._take_out(replica, reason)

    def _take_out(self, replica: Replica, reason: str) -> None:
        if replica.in_rotation:
            log.warning("%s is out of rotation: %s", replica.database.name, reason)
            replica.taken_out += 1
        replica.in_rotation = False

    async def check(self) -> None:
        """Look at every replica once, and put each in or out of rotation."""
        now = time.monotonic()
        try:
            async with asyncio.timeout(LOOK_SECONDS), self.primary.engine.connect() as connection:
                self._samples.append((now, await wal.inserted(connection)))
        except UNREACHABLE as error:  # the lag cannot be judged now; reachability still can
            log.warning("cannot read the primary's log position: %s", error)
        while self._samples and self._samples[0][0] < now - self.max_lag_seconds - 60:
            self._samples.popleft()
        await asyncio.gather(*(self._check(replica, now) for replica in self.replicas))

    async def _check(self, replica: Replica, now: float) -> None:
        try:
            position = await replica.replay_position()
        except UNREACHABLE as error:
            replica.lag_seconds = None
            self._take_out(replica, f"unreachable ({error.__class__.__name__})")
            return
        if position is None:
            replica.lag_seconds = None
            self._take_out(replica, "it is not a standby (pg_last_wal_replay_lsn() is null)")
            return
        replica.replayed = position
        lag = replica.lag_seconds = self.lag(position, now)
        if lag > self.max_lag_seconds:
            self._take_out(replica, f"its replay is {lag:.0f} s behind the primary")
        elif not replica.in_rotation:
            log.warning("%s is in rotation", replica.database.name)
            replica.in_rotation = True

    def lag(self, position: int, now: float) -> float:
        """How long ago the primary first reached past a replica's replay position."""
        for when, reached in self._samples:
            if reached > position:
                return now - when
        return 0.0

    async def start(self) -> None:
        """Check the replicas once, then keep checking them in the background."""
        if self.replicas:
            await self.check()
            self._watching = asyncio.create_task(self._watch())

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            await self.check()

    async def close(self) -> None:
        """Stop checking, and close every replica's connections."""
        if self._watching is not None:
            self._watching.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watching
            self._watching = None
        for replica in self.replicas:
            await replica.database.close()
