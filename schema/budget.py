"""Each client's budget: cost points per window, and a cap on its requests in flight.

A client is its bearer token (by the token's name) or, without one, its address. A
request is admitted while its node estimate fits what the client has left in the
window, once the client has fewer than `in_flight` requests running on this process (the
others wait their turn, up to `wait_seconds`); its
estimate is held while it runs, then settled on the objects it returned (at least one
point; reading `Query.rateLimit` alone is free). Windows are aligned on the clock
(a 60-second window starts at each whole minute), so every process agrees on them.

Each process keeps its own counts and shares them through the database's `rate_usage`
table once a second: it adds what it spent since the last time and reads what all
processes spent. So a client spending through several processes at once can go over
its budget by at most what the other processes admitted in the last second (and never
by more than one budget per other process); on one process, never by more than the
one request that found the budget not yet spent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType
from sqlalchemy import Executable, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import RateUsage, Role
from db.tokens import check_token

log = logging.getLogger("bilateral.budget")

# How often each process shares its counts with the others, in seconds.
SHARE_SECONDS = 1.0
# How long a token's check is trusted before the database is asked again, in seconds.
TOKEN_SECONDS = 1.0


@dataclass(frozen=True)
class RateLimits:
    """The budgets: points per window for an address and for each role's tokens, the window,
    and the requests one client may have in flight on one process."""

    enabled: bool = True
    points: int = 200_000
    window: int = 60
    in_flight: int = 4
    # A request beyond `in_flight` waits this long for one of its client's to finish, then
    # is refused (429).
    wait_seconds: float = 10.0
    reader_points: int = 400_000
    editor_points: int = 1_000_000
    # At most this many clients are counted in memory; the least recently seen go first.
    clients: int = 10_000

    def points_of(self, role: Role | None) -> int:
        """The budget of a token of this role, or of an address (None)."""
        if role is Role.EDITOR:
            return self.editor_points
        if role is Role.READER:
            return self.reader_points
        return self.points


@dataclass(frozen=True)
class Client:
    """Who a request counts against: `key` in the shared counts, `name` for the logs."""

    key: str
    name: str
    points: int


@dataclass(slots=True)
class Usage:
    """Where a client's budget stands: its limit, the points used, when the window resets,
    and what the request at hand was charged."""

    limit: int
    used: int
    reset: int  # seconds since the epoch
    charged: int = 0

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def headers(self) -> dict[str, str]:
        """The X-RateLimit-* headers, as GitHub sends them."""
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Used": str(self.used),
            "X-RateLimit-Reset": str(self.reset),
        }

    def extension(self) -> dict[str, int]:
        """The same as `extensions.cost.rateLimit`."""
        return {
            "limit": self.limit,
            "remaining": self.remaining,
            "used": self.used,
            "reset": self.reset,
            "charged": self.charged,
        }


class Refused(Exception):
    """A request the budget does not admit: its error, and the usage to report."""

    def __init__(self, error: GraphQLError, usage: Usage | None, retry_after: int = 0) -> None:
        super().__init__(error.message)
        self.error = error
        self.usage = usage
        self.retry_after = retry_after


def unauthenticated() -> Refused:
    """The refusal of a request whose bearer token is unknown, revoked or malformed."""
    error = GraphQLError(
        "The bearer token is not valid: send a valid token, or none.",
        extensions={"code": "UNAUTHENTICATED"},
    )
    return Refused(error, None)


@dataclass
class _Count:
    """One client's counts in one window, as this process knows them."""

    window_start: int
    shared: int = 0  # all processes' spending, as last read from the database
    pending: int = 0  # this process's spending not yet shared
    held: int = 0  # the estimates of this process's requests in flight


@dataclass
class _Slots:
    """One client's requests running on this process, and those waiting to run."""

    running: int = 0
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)


@dataclass
class Budgets:
    """The budgets of every client this process has seen, shared through the database."""

    limits: RateLimits
    _counts: OrderedDict[str, _Count] = field(default_factory=OrderedDict)
    _tokens: dict[str, tuple[float, Client | None]] = field(default_factory=dict)
    _addresses: dict[str, Client] = field(default_factory=dict)
    # Only clients with requests running or waiting have slots: no more than connections.
    _slots: dict[str, _Slots] = field(default_factory=dict)
    _sessions: async_sessionmaker[AsyncSession] | None = None
    _task: asyncio.Task[None] | None = None
    _last_purge: int = 0

    # Who is asking.

    async def client(self, authorization: str | None, address: str | None) -> Client:
        """The client a request counts against; Refused (401) for a token that is not valid."""
        scheme, _, token = (authorization or "").strip().partition(" ")
        token = token.strip()
        if not authorization or not authorization.strip():
            return self._address(address or "unknown")
        if scheme.lower() != "bearer" or not token:
            raise unauthenticated()
        now = time.monotonic()
        cached = self._tokens.get(token)
        if cached is not None and now - cached[0] < TOKEN_SECONDS:
            found = cached[1]
        else:
            found = await self._check(token)
            if len(self._tokens) >= self.limits.clients:
                self._tokens.clear()
            self._tokens[token] = (now, found)
        if found is None:
            raise unauthenticated()
        return found

    def _address(self, address: str) -> Client:
        """The client an address is (made once, while it is counted)."""
        found = self._addresses.get(address)
        if found is None:
            if len(self._addresses) >= self.limits.clients:
                self._addresses.clear()
            found = self._addresses[address] = Client(
                f"address:{address}", address, self.limits.points
            )
        return found

    async def _check(self, token: str) -> Client | None:
        assert self._sessions is not None, "the budgets are not started"
        async with self._sessions() as session:
            holder = await check_token(session, token)
            await session.rollback()  # reading only: `last_used_at` is a write's to record
        if holder is None:
            return None
        return Client(f"token:{holder.name}", holder.name, self.limits.points_of(holder.role))

    # Spending.

    def _window(self) -> tuple[int, int]:
        """The current window's start and its end, in seconds since the epoch."""
        now = int(time.time())
        start = now - now % self.limits.window
        return start, start + self.limits.window

    def _count(self, client: Client, start: int) -> _Count:
        """The client's counts in the window that starts at `start`."""
        counts = self._counts
        count = counts.get(client.key)
        if count is None or count.window_start != start:
            count = _Count(start)
            counts[client.key] = count
            while len(counts) > self.limits.clients:
                counts.popitem(last=False)  # the least recently seen client
        counts.move_to_end(client.key)
        return count

    def usage(self, client: Client, charged: int = 0) -> Usage:
        """Where the client's budget stands now."""
        start, end = self._window()
        count = self._count(client, start)
        return Usage(client.points, count.shared + count.pending + count.held, end, charged)

    async def admit(self, client: Client, estimate: int) -> Usage:
        """Hold `estimate` points for a request about to run, once one of the client's
        slots is free (waiting for one up to `wait_seconds`); Refused (429) when none frees
        in time or too few points are left for it."""
        slots = self._slots.get(client.key)
        if slots is None:  # the usual case, checked here without a coroutine of its own
            self._slots[client.key] = _Slots(running=1)
        else:
            await self._slot(client, slots)
        start, end = self._window()
        count = self._count(client, start)
        usage = Usage(client.points, count.shared + count.pending + count.held, end)
        needed = max(min(estimate, client.points), 1)
        if needed > usage.remaining:
            self._release(client)
            wait = max(end - int(time.time()), 1)
            message = (
                f"The request is estimated at {needed} points and {usage.remaining} of this"
                f" client's {usage.limit} are left in the window (BILATERAL_RATE_POINTS);"
                f" retry in {wait} s."
            )
            error = _limited(message, usage, wait)
            error.extensions = {**(error.extensions or {}), "requested": needed}
            raise Refused(error, usage, wait)
        count.held += needed
        return usage

    async def _slot(self, client: Client, slots: _Slots) -> None:
        """Take one of the client's slots, waiting for one if all are taken."""
        if slots.running < self.limits.in_flight:
            slots.running += 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        slots.waiting.append(turn)
        try:
            await asyncio.wait_for(asyncio.shield(turn), self.limits.wait_seconds)
        except TimeoutError:
            if turn.done():  # handed a slot just as the time ran out: give it on
                self._release(client)
            else:
                turn.cancel()
            usage = self.usage(client)
            message = (
                f"{slots.running} of this client's requests are running and"
                f" {len(slots.waiting)} waiting; the limit is {self.limits.in_flight} at once"
                " (BILATERAL_RATE_IN_FLIGHT). Retry in a moment."
            )
            raise Refused(_limited(message, usage, 1), usage, 1) from None
        except BaseException:  # cancelled: the client went away
            if turn.done() and not turn.cancelled():
                self._release(client)
            turn.cancel()
            raise

    def _release(self, client: Client) -> None:
        """Give a slot back: to the next waiting request, or free."""
        slots = self._slots.get(client.key)
        if slots is None:
            return
        while slots.waiting:
            turn = slots.waiting.popleft()
            if not turn.done():
                turn.set_result(None)  # the slot passes on, still running
                return
        slots.running -= 1
        if slots.running <= 0:
            del self._slots[client.key]

    def settle(self, client: Client, held: int, charged: int) -> Usage:
        """A request admitted with `held` points has finished: charge it `charged`."""
        self._release(client)
        start, end = self._window()
        count = self._count(client, start)
        count.held = max(count.held - max(min(held, client.points), 1), 0)
        count.pending += charged
        return Usage(client.points, count.shared + count.pending + count.held, end, charged)

    # Sharing.

    async def start(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Share the counts with the other processes every second until stopped."""
        self._sessions = sessions
        if not self.limits.enabled:
            return

        async def keep_sharing() -> None:
            while True:
                await asyncio.sleep(SHARE_SECONDS)
                try:
                    await self.share()
                except Exception as error:  # the local counts serve until the database answers
                    log.warning("could not share the rate-limit counts: %r", error)

        self._task = asyncio.get_running_loop().create_task(keep_sharing())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.share()

    async def share(self) -> None:
        """Add this process's spending to the shared counts and read everyone's."""
        if self._sessions is None:
            return
        start, _ = self._window()
        current = {key: count for key, count in self._counts.items() if count.window_start == start}
        if not current:
            return
        sent = {key: count.pending for key, count in current.items() if count.pending}
        async with self._sessions() as session:
            for key, points in sent.items():
                await session.execute(_add(session, key, start, points))
            totals = dict(
                (
                    await session.execute(
                        select(RateUsage.client, RateUsage.points).where(
                            RateUsage.window_start == start, RateUsage.client.in_(list(current))
                        )
                    )
                ).all()
            )
            if start != self._last_purge:
                await session.execute(delete(RateUsage).where(RateUsage.window_start < start))
                self._last_purge = start
            await session.commit()
        for key, count in current.items():
            count.pending -= sent.get(key, 0)  # what was spent meanwhile stays pending
            count.shared = int(totals.get(key, 0))


def _limited(message: str, usage: Usage, retry_after: int) -> GraphQLError:
    return GraphQLError(
        message,
        extensions={"code": "RATE_LIMITED", "retryAfter": retry_after, **usage.extension()},
    )


def _add(session: AsyncSession, key: str, start: int, points: int) -> Executable:
    """Add `points` to a client's shared count for a window, on either database."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(RateUsage).values(client=key, window_start=start, points=points)
    return statement.on_conflict_do_update(
        index_elements=[RateUsage.client, RateUsage.window_start],
        set_={"points": RateUsage.points + statement.excluded.points},
    )


def free(operation: OperationDefinitionNode) -> bool:
    """Whether an operation only reads the budget (`rateLimit`, `__typename`, as fields of
    the root): it costs nothing."""
    selections = operation.selection_set.selections
    return operation.operation is OperationType.QUERY and all(
        isinstance(selection, FieldNode) and selection.name.value in FREE_FIELDS
        for selection in selections
    )


FREE_FIELDS = frozenset({"rateLimit", "__typename"})
