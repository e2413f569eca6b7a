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
import time
from collections.abc import Sequence
from typing import Any, Protocol

import asyncpg
from sqlalchemy.engine import URL

from db import sqlite_driver, sqlite_functions

# How long to wait for PostgreSQL to accept a connection, and the most to open.
CONNECT_TIMEOUT = 3
# The longest a statement runs when the caller sets no time limit of its own.
STATEMENT_TIMEOUT = 30.0
POOL_SIZE = 4


class Statements(Protocol):
    executed: int  # statements run so far, for tests and benchmarks that count them

    async def text(
        self, sql: str, parameters: Sequence[Any] = (), timeout: float = STATEMENT_TIMEOUT
    ) -> str:
        """The value of the one row and column a statement yields, given its positional
        parameters; TimeoutError, with the statement stopped, after `timeout` seconds."""
        ...

    async def open(self) -> None:
        """Open the connections now rather than on the first statement."""
        ...

    async def close(self) -> None:
        """Close whatever connections are open."""
        ...


class SQLiteStatements:
    """One SQLite connection, opened on first use, set up as the app's others are."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.executed = 0
        self._connection: Any = None
        self._opening = asyncio.Lock()

    async def _open(self) -> Any:
        async with self._opening:
            if self._connection is None:
                connection = await sqlite_driver.connect(self.path)
                await connection.execute("PRAGMA query_only = ON")
                await connection.execute("PRAGMA cache_size = -65536")
                for name, arity, function in sqlite_functions.FUNCTIONS:
                    await connection.create_function(name, arity, function, deterministic=True)
                self._connection = connection
            return self._connection

    async def open(self) -> None:
        await self._open()

    async def text(
        self, sql: str, parameters: Sequence[Any] = (), timeout: float = STATEMENT_TIMEOUT
    ) -> str:
        connection = self._connection or await self._open()
        self.executed += 1
        try:
            async with asyncio.timeout(timeout):
                # One trip to the connection's thread.
                rows = await connection.execute_fetchall(sql, tuple(parameters))
        except TimeoutError:
            # The statement still runs in the connection's thread, and the next ones wait
            # behind it: stop it (sqlite3's interrupt may be called from any thread).
            await connection.interrupt()
            raise
        return str(rows[0][0])

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None


class PostgresStatements:
    """A small asyncpg pool, created on first use.

    `pooled`: the DSN leads to a pooler in transaction mode, where a session setting would
    land on whichever server connection the pooler picked, and a statement prepared under
    a name for later may be gone by then; so neither is used (the pooler's own settings,
    such as PgBouncer's connect_query, can switch JIT off instead).
    """

    def __init__(self, dsn: str, *, pooled: bool = False) -> None:
        self.dsn = dsn
        self.pooled = pooled
        self.executed = 0
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _open(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                # A compiled statement is large and its cost estimate high, but it reads
                # few rows through indexes: compiling it to machine code (JIT) costs more
                # than it saves, every time. And each execution is planned for its values
                # (a custom plan): the countries' events are skewed, so a generic plan,
                # made for an average country, walks the wrong side for a busy one (Q3 in
                # bench/: 8 ms custom, 60-110 ms generic); planning costs far less.
                options: dict[str, Any] = (
                    {"statement_cache_size": 0}
                    if self.pooled
                    else {"server_settings": {"jit": "off", "plan_cache_mode": "force_custom_plan"}}
                )
                self._pool = await asyncpg.create_pool(
                    self.dsn,
                    min_size=POOL_SIZE,
                    max_size=POOL_SIZE,
                    timeout=CONNECT_TIMEOUT,
                    reset=_as_left,
                    **options,
                )
            return self._pool

    async def open(self) -> None:
        await self._open()

    async def text(
        self, sql: str, parameters: Sequence[Any] = (), timeout: float = STATEMENT_TIMEOUT
    ) -> str:
        pool = self._pool or await self._open()
        self.executed += 1
        began = time.monotonic()
        # Waiting for a connection counts against the time limit; taking an idle one needs
        # no timer (asyncpg's costs a task per acquisition).
        waits = None if pool.get_idle_size() else timeout
        async with pool.acquire(timeout=waits) as connection:
            # asyncpg's own timer: on expiry it asks the server to cancel the statement.
            left = max(timeout - (time.monotonic() - began), 0.001)
            return str(await connection.fetchval(sql, *parameters, timeout=left))

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


async def _as_left(connection: asyncpg.Connection) -> None:
    """A connection back from a read goes back to the pool as it is.

    asyncpg's default reset (unlock advisory locks, close cursors, unlisten, reset settings)
    costs a round trip after every statement, and these connections only ever run one
    SELECT outside a transaction: there is nothing to undo. (asyncpg still rolls back a
    transaction left open, without this.)
    """


def for_url(url: URL, *, pooled: bool = False) -> Statements:
    """The runner for the database an engine's URL names (through a transaction-mode pooler?)."""
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValueError("compiled statements need a SQLite file, not an in-memory database")
        if not sqlite_driver.runs_compiled:
            needs = ".".join(map(str, sqlite_driver.COMPILED_NEEDS))
            raise ValueError(
                f"compiled statements need SQLite {needs} or later; {sqlite_driver.library}"
                f" has SQLite {sqlite_driver.version}"
            )
        return SQLiteStatements(url.database)
    plain = url.set(drivername="postgresql")
    return PostgresStatements(plain.render_as_string(hide_password=False), pooled=pooled)
