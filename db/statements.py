"""One-statement reads for compiled queries, on a connection of their own.

A compiled query is one SELECT whose one value is the answer's JSON text. It needs no
ORM session, transaction or pool pre-ping: on SQLite it runs on one connection kept
open (SQLite runs a connection's statements one at a time, and in WAL mode a read
never waits for the writer); on PostgreSQL on a small asyncpg pool. A failure here
is the caller's cue to answer through the resolvers, which report an outage properly.
Where SQLite is too old to parse them (see `db/sqlite_driver.py`), there are none: the
resolvers answer every query.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import asyncpg

from db import sqlite_driver, sqlite_functions

# How long to wait for PostgreSQL to accept a connection, and the most to open.
CONNECT_TIMEOUT = 3
# The longest a statement runs when the caller sets no time limit of its own.
STATEMENT_TIMEOUT = 30.0
POOL_SIZE = 4


class Statements(Protocol):
    executed: int  # statements run so far, for tests and benchmarks that count them

    async def text(
        self,
        sql: str,
        parameters: Sequence[Any] = (),
        timeout: float = STATEMENT_TIMEOUT,
        *,
        stable: bool = False,
    ) -> str:
        """The value of the one row and column a statement yields, given its positional
        parameters; TimeoutError, with the statement stopped, after `timeout` seconds.

        `stable`: one plan serves the statement whatever its values, so the database may
        plan it once and keep the plan; otherwise it is planned for each run's values.
        """
        ...

    async def open(self) -> None:
        """Open the connections now rather than on the first statement."""
        ...

    async def close(self) -> None:
        """Close whatever connections are open."""
        ...


class SQLiteStatements:
    """One SQLite connection on a thread of its own, set up as the app's others are.

    Statements run there one at a time, in the order they came. Each has its time limit
    on the event loop's clock: a statement still waiting when its time is up is dropped,
    and a running one is interrupted (sqlite3's interrupt may be called from any thread),
    so a slow statement never holds up the ones behind it for longer than its limit.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.executed = 0
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._connection: Any = None  # made and used on the thread; interrupted from the loop
        self._running: _Job | None = None  # the job whose statement runs now
        self._guard = threading.Lock()  # over `_running`
        self._opening = asyncio.Lock()

    async def open(self) -> None:
        async with self._opening:
            if self._thread is None:
                loop = asyncio.get_running_loop()
                ready: asyncio.Future[None] = loop.create_future()
                thread = threading.Thread(
                    target=self._work, args=(loop, ready), name="sqlite-statements", daemon=True
                )
                thread.start()
                await ready  # the connection's error, if it could not be opened
                self._thread = thread

    async def text(
        self,
        sql: str,
        parameters: Sequence[Any] = (),
        timeout: float = STATEMENT_TIMEOUT,
        *,
        stable: bool = False,  # SQLite plans every statement for its values
    ) -> str:
        if self._thread is None:
            await self.open()
        loop = asyncio.get_running_loop()
        job = _Job(sql, tuple(parameters), loop.create_future())
        self.executed += 1
        self._jobs.put(job)
        timer = loop.call_later(timeout, self._expire, job)
        try:
            return str(await job.answer)
        except asyncio.CancelledError:
            self._stop(job)  # nobody waits for its answer any more
            raise
        finally:
            timer.cancel()

    def _expire(self, job: _Job) -> None:
        if not job.answer.done():
            job.answer.set_exception(TimeoutError("the statement ran out of time"))
        self._stop(job)

    def _stop(self, job: _Job) -> None:
        """Interrupt the job's statement if it is running (and no other's)."""
        with self._guard:
            if self._running is not job:
                return
            self._connection.interrupt()
        # An interrupt that comes just before the statement starts is lost: ask again.
        asyncio.get_running_loop().call_later(0.01, self._stop, job)

    def _work(self, loop: asyncio.AbstractEventLoop, ready: asyncio.Future[None]) -> None:
        """The thread: open the connection, then run the statements as they come."""
        try:
            self._connection = self._connect()
        except BaseException as failure:  # reported to whoever opened it
            loop.call_soon_threadsafe(_settle, ready, None, failure)
            return
        loop.call_soon_threadsafe(_settle, ready, None, None)
        while (job := self._jobs.get()) is not None:
            with self._guard:
                if job.answer.done():  # out of time, or its caller left, while it waited
                    continue
                self._running = job
            outcome: tuple[Any, BaseException | None]
            try:
                outcome = (self._connection.execute(job.sql, job.parameters).fetchone()[0], None)
            except BaseException as failure:  # the caller's to handle
                outcome = (None, failure)
            with self._guard:
                self._running = None
            loop.call_soon_threadsafe(_settle, job.answer, *outcome)
        self._connection.close()

    def _connect(self) -> Any:
        connection = sqlite_driver.sqlite.connect(self.path)
        connection.execute("PRAGMA query_only = ON")
        connection.execute("PRAGMA cache_size = -65536")
        for name, arity, function in sqlite_functions.FUNCTIONS:
            connection.create_function(name, arity, function, deterministic=True)
        return connection

    async def close(self) -> None:
        if self._thread is not None:
            self._jobs.put(None)
            await asyncio.to_thread(self._thread.join)
            self._thread = None


@dataclass(frozen=True, eq=False)
class _Job:
    """One statement for the SQLite thread, and the future its answer goes to."""

    sql: str
    parameters: tuple[Any, ...]
    answer: asyncio.Future[Any]


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    """Give a future its result or error, unless it has one already (it ran out of time)."""
    if future.done():
        return
    if error is None:
        future.set_result(value)
    else:
        future.set_exception(error)


class PostgresStatements:
    """Two small asyncpg pools, opened together on first use: one whose sessions plan each
    run of a statement for its values, and one whose sessions may keep a plan made once.

    A compiled statement is large and its cost estimate high, but it reads few rows through
    indexes: compiling it to machine code (JIT) costs more than it saves, every time.

    A statement that pages through filtered rows is planned for each run's values (a
    custom plan): the countries' events are skewed, so a generic plan, made for an average
    country, walks the wrong side for a busy one (Q3 in bench/: 8 ms custom, 60-110 ms
    generic). A stable statement (rows found by key, and lists of what points at them)
    plans the same whatever its values, so its sessions leave PostgreSQL to keep the
    generic plan once it is no worse: planning was a third of a small read's cost.

    `pooled`: the DSN leads to a pooler in transaction mode, where a session setting would
    land on whichever server connection the pooler picked, and a statement prepared under
    a name for later may be gone by then; so neither is used, and one pool serves all (the
    pooler's own settings, such as PgBouncer's connect_query, can switch JIT off instead).
    """

    def __init__(self, dsn: str, *, pooled: bool = False) -> None:
        self.dsn = dsn
        self.pooled = pooled
        self.executed = 0
        self._custom: asyncpg.Pool | None = None
        self._generic: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _open(self) -> tuple[asyncpg.Pool, asyncpg.Pool]:
        async with self._opening:
            if self._custom is None or self._generic is None:
                if self.pooled:
                    self._custom = self._generic = await self._pool(statement_cache_size=0)
                else:
                    self._custom = await self._pool(
                        server_settings={"jit": "off", "plan_cache_mode": "force_custom_plan"}
                    )
                    self._generic = await self._pool(server_settings={"jit": "off"})
            return self._custom, self._generic

    async def _pool(self, **options: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(
            self.dsn,
            min_size=POOL_SIZE,
            max_size=POOL_SIZE,
            timeout=CONNECT_TIMEOUT,
            reset=_as_left,
            **options,
        )

    async def open(self) -> None:
        await self._open()

    async def text(
        self,
        sql: str,
        parameters: Sequence[Any] = (),
        timeout: float = STATEMENT_TIMEOUT,
        *,
        stable: bool = False,
    ) -> str:
        pool = self._generic if stable else self._custom
        if pool is None:
            custom, generic = await self._open()
            pool = generic if stable else custom
        self.executed += 1
        # One timer for the wait for a connection and the statement: on expiry the task is
        # cancelled, and asyncpg asks the server to cancel the statement. (asyncpg's own
        # timeouts cost a task per acquisition that has to wait.)
        async with asyncio.timeout(timeout), pool.acquire() as connection:
            return str(await connection.fetchval(sql, *parameters))

    async def close(self) -> None:
        pools = {pool for pool in (self._custom, self._generic) if pool is not None}
        self._custom = self._generic = None
        for pool in pools:
            await pool.close()


async def _as_left(connection: asyncpg.Connection) -> None:
    """A connection back from a read goes back to the pool as it is.

    asyncpg's default reset (unlock advisory locks, close cursors, unlisten, reset settings)
    costs a round trip after every statement, and these connections only ever run one
    SELECT outside a transaction: there is nothing to undo. (asyncpg still rolls back a
    transaction left open, without this.)
    """
