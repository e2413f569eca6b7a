"""The database the app runs on, made once from its URL: everything that depends on which it is.

A URL is read here, once, as SQLite or PostgreSQL, and through a pooler in transaction
mode or not; what follows from that (the engine's options, the compiled-statement runner,
the URL Alembic migrates, the line LISTEN hears changes on) is decided here too, and the
rest of the app asks the `Database` rather than looking at the URL again.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from db import sqlite_driver, sqlite_functions
from db.statements import (
    CONNECT_TIMEOUT,
    STATEMENT_TIMEOUT,
    PostgresStatements,
    SQLiteStatements,
    Statements,
)

log = logging.getLogger("bilateral.database")

Dialect = Literal["sqlite", "postgresql"]

# Time limits, in seconds, besides the statements' own (CONNECT_TIMEOUT, STATEMENT_TIMEOUT):
POOL_WAIT_SECONDS = 5  # for a connection from the engine's pool, when all are busy
LOOK_SECONDS = 2  # for a look at a server's state (a replica's replay, the health check)


def dialect_of(url: str | URL) -> Dialect:
    """Which database a URL names; ValueError for one the app does not run on."""
    name = make_url(url).get_backend_name()
    if name == "sqlite":
        return "sqlite"
    if name == "postgresql":
        return "postgresql"
    raise ValueError(f"the database must be SQLite or PostgreSQL, not {name!r}")


@dataclass(eq=False)
class Database:
    """One database server as the app reaches it: its engine and sessions for the resolvers
    and writers, and its runner for compiled statements (None where they cannot run)."""

    name: str
    url: URL
    dialect: Dialect
    pooled: bool  # the URL leads to a pooler in transaction mode (PgBouncer)
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    statements: Statements | None
    # The plain (asyncpg) DSN LISTEN connects to, on PostgreSQL; None on SQLite, which
    # runs in one process and needs no line to hear other processes' writes.
    listen_dsn: str | None

    @classmethod
    def open(
        cls,
        url: str,
        *,
        name: str = "the primary",
        pooled: bool = False,
        compiled: bool = False,
        listen_url: str | None = None,
        statement_timeout: float | None = STATEMENT_TIMEOUT,
    ) -> Database:
        """The database at `url` (connections are made when first used). `compiled`: with a
        runner for compiled statements, if they can run there; `listen_url`: a direct line
        for LISTEN when `url` goes through a pooler that cannot carry it; `statement_timeout`:
        the seconds a statement may take on PostgreSQL (None: no limit, for the commands'
        imports and seeds, which write for minutes on a large database)."""
        parsed = make_url(url)
        dialect = dialect_of(parsed)
        engine = make_engine(parsed, pooled=pooled, statement_timeout=statement_timeout)
        statements = _statements(parsed, dialect, pooled) if compiled else None
        listen_dsn = _plain(make_url(listen_url or url)) if dialect == "postgresql" else None
        return cls(
            name, parsed, dialect, pooled, engine, make_sessions(engine), statements, listen_dsn
        )

    @property
    def alembic_url(self) -> str:
        """The URL Alembic migrates, password and all (it makes an engine of its own)."""
        return self.url.render_as_string(hide_password=False)

    async def close(self) -> None:
        """Close every connection this database has open."""
        if self.statements is not None:
            await self.statements.close()
        await self.engine.dispose()


def _plain(url: URL) -> str:
    """A PostgreSQL URL as asyncpg takes it, without SQLAlchemy's driver name."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _statements(url: URL, dialect: Dialect, pooled: bool) -> Statements | None:
    """The runner for compiled statements, or None (and why, in the log) where they cannot run."""
    if dialect == "postgresql":
        return PostgresStatements(_plain(url), pooled=pooled)
    if not url.database or url.database == ":memory:":
        reason = "compiled statements need a SQLite file, not an in-memory database"
    elif not sqlite_driver.runs_compiled:
        needs = ".".join(map(str, sqlite_driver.COMPILED_NEEDS))
        reason = (
            f"compiled statements need SQLite {needs} or later; {sqlite_driver.library}"
            f" has SQLite {sqlite_driver.version}"
        )
    else:
        return SQLiteStatements(url.database)
    log.warning("queries run on the resolvers only: %s", reason)
    return None


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def make_engine(
    url: str | URL, *, pooled: bool = False, statement_timeout: float | None = STATEMENT_TIMEOUT
) -> AsyncEngine:
    """An async engine for the URL: SQLite set up to enforce foreign keys, PostgreSQL to fail fast.

    Connections are checked before use (pre-ping), so after the database comes back the
    pool recovers by itself; while it is away, connecting gives up after a few seconds
    instead of hanging a request. `pooled`: the URL leads to a pooler in transaction mode;
    `statement_timeout`: seconds a PostgreSQL statement may take (None: no limit).
    """
    # JSON columns (the change log's snapshots) hold text as a response writes it: UTF-8,
    # not \u escapes, so that a compiled query can pass it on as it is.
    options: dict[str, Any] = {"pool_pre_ping": True, "json_serializer": _json_text}
    parsed = make_url(url)
    if dialect_of(parsed) == "postgresql":
        connect_args: dict[str, Any] = {
            "timeout": CONNECT_TIMEOUT,
            "command_timeout": statement_timeout,
        }
        if pooled:
            connect_args |= UNPREPARED
        options |= {"pool_timeout": POOL_WAIT_SECONDS, "connect_args": connect_args}
        return create_async_engine(parsed, **options)
    if parsed.get_driver_name() == "aiosqlite":
        options["module"] = sqlite_driver.dbapi()
    engine = create_async_engine(parsed, **options)
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
    # 8 MiB of clean pages: the compiled statements, most reads, run on a connection of
    # their own with a larger cache (db/statements.py); these serve the resolvers, writes
    # and the list sizes read at start, which read every table once: with 64 MiB that read
    # kept 15 MiB more resident at scale 1, and the OS caches the file anyway. A write
    # keeps up to 64 MiB of changed pages (16,384 of 4 KiB) before it spills any to the
    # log mid-transaction, as it did with the larger cache: first start writes in one.
    cursor.execute("PRAGMA cache_size = -8192")
    cursor.execute("PRAGMA cache_spill = 16384")
    cursor.close()
    # What SQLite lacks that compiled queries use (base64 for global IDs and cursors, …).
    for name, arity, function in sqlite_functions.FUNCTIONS:
        connection.create_function(name, arity, function, deterministic=True)


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory the app, the seed loader and the tests share."""
    return async_sessionmaker(engine, expire_on_commit=False)
