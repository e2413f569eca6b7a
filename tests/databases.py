"""Test databases: a fresh one for each use, on SQLite, or on PostgreSQL when TEST_DATABASE_URL says so.

    TEST_DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test make test

creates a database of its own on that server for every test and drops it after.

A database is either new and empty, or a copy of the session's template: a database
that the app's start-up has migrated and seeded with the article once, copied file by
file on SQLite and with `CREATE DATABASE … TEMPLATE` on PostgreSQL. Migrating and
seeding take seconds; a copy takes a fraction of one, and the app, started on it,
finds it ready and loads nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fcntl
import os
import shutil
import sqlite3
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


async def _on_server(*statements: str) -> None:
    engine = create_async_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


def _name(kind: str = "test") -> str:
    return f"bilateral_{kind}_{uuid.uuid4().hex[:12]}"


def _server_url(name: str) -> str:
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _file_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


Prepare = Callable[[str], Awaitable[None]]


class Template:
    """A database made on first use by `prepare` (the app's start-up, or a whole first
    start's load), which tests get copies of.

    By default each test process makes its own (a pytest-xdist worker, or the one process
    of a run without it). A template `shared` by the run is made once for every worker:
    the first to ask makes it in `folder` (the run's folder, common to the workers) while
    any other waits on a lock, and the run's main process drops it at the end
    (`drop_shared`).

    On PostgreSQL, where making a copy and dropping one each take a moment (a DROP
    DATABASE waits for a checkpoint), both happen on threads of their own: the next
    test's copy is made while a test runs (`ahead`, for a template copied for many
    tests), and a finished test's databases are dropped while the next ones run.
    """

    def __init__(
        self, folder: Path, prepare: Prepare, *, ahead: bool = True, shared: str | None = None
    ) -> None:
        self.folder = folder
        self.prepare = prepare
        self.shared = shared
        self.name: str | None = None
        self.background = (
            concurrent.futures.ThreadPoolExecutor(1) if ON_POSTGRESQL and ahead else None
        )
        self.spare: concurrent.futures.Future[str] | None = None
        self.dropper = concurrent.futures.ThreadPoolExecutor(1) if ON_POSTGRESQL else None
        self.dropping: list[concurrent.futures.Future[None]] = []

    def _made(self) -> str:
        if self.name is None:
            if self.shared is None:
                self.name = self._make()
            else:
                self.name = self._made_once(self.shared)
        return self.name

    def _made_once(self, key: str) -> str:
        """The run's template under this key, made here unless another worker has made it."""
        record = self.folder / f"{key}.name"
        with open(self.folder / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            if record.exists():
                return record.read_text(encoding="utf-8")
            made: list[str] = []
            try:
                return self._make(made)
            finally:
                if made:  # recorded even if preparing it failed, to be dropped
                    record.write_text(made[0], encoding="utf-8")

    def _make(self, made: list[str] | None = None) -> str:
        """A new template, prepared; its name (`made` gets it as soon as it exists)."""
        name = _name("template")
        if ON_POSTGRESQL:
            run_apart(partial(_on_server, f'CREATE DATABASE "{name}"'))
            if made is None:
                self.name = name  # dropped at the end even if preparing it fails
            else:
                made.append(name)
            run_apart(partial(self.prepare, _server_url(name)))
        else:
            path = self.folder / f"{name}.db"
            run_apart(partial(self.prepare, _file_url(path)))
            # The app's connections are closed, so SQLite has folded its write-ahead
            # log into the file; make sure, so that the file alone is the database.
            with contextlib.closing(sqlite3.connect(path)) as connection:
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if made is not None:
                made.append(name)
        return name

    def _copied(self) -> str:
        """A new copy on the server (on the background thread, if copies are made ahead); its name."""
        name = _name()
        # The template has no connection open: the app that prepared it has shut down.
        run_apart(partial(_on_server, f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"'))
        return name

    def copy(self, folder: Path) -> tuple[str, str]:
        """A new database holding what the template holds: its name and URL (a file in
        `folder` on SQLite)."""
        template = self._made()
        if self.background is not None:
            ready = self.spare or self.background.submit(self._copied)
            self.spare = self.background.submit(self._copied)
            name = ready.result()
            return name, _server_url(name)
        if ON_POSTGRESQL:
            name = self._copied()
            return name, _server_url(name)
        name = _name()
        path = folder / f"{name}.db"
        shutil.copyfile(self.folder / f"{template}.db", path)
        return name, _file_url(path)

    def drop_later(self, name: str) -> None:
        """Drop a test's database on the dropping thread."""
        assert self.dropper is not None
        statement = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
        self.dropping.append(self.dropper.submit(asyncio.run, _on_server(statement)))

    def drop(self) -> None:
        """Drop the spare copy and the template, once every test's database is dropped."""
        if self.dropper is None:
            return
        if self.spare is not None:
            self.drop_later(self.spare.result())
        if self.background is not None:
            self.background.shutdown()
        if self.name is not None and self.shared is None:
            self.drop_later(self.name)
        for dropping in self.dropping:
            dropping.result()  # raises what a drop met
        self.dropper.shutdown()


def drop_shared(folder: Path) -> None:
    """Drop the run's shared templates recorded in `folder` (on PostgreSQL; on SQLite they
    are files in it)."""
    if not ON_POSTGRESQL:
        return
    for record in folder.glob("*.name"):
        name = record.read_text(encoding="utf-8")
        run_apart(partial(_on_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        record.unlink()


class Databases:
    """Makes databases for one test, empty or copied from the template, and removes them after it."""

    def __init__(self, folder: Path, template: Template | None = None) -> None:
        self.folder = folder
        self.template = template
        self.made: list[str] = []  # on PostgreSQL, to drop

    def new(self) -> str:
        """The URL of a new, empty database."""
        name = _name()
        if ON_POSTGRESQL:
            run_apart(partial(_on_server, f'CREATE DATABASE "{name}"'))
            self.made.append(name)
            return _server_url(name)
        return _file_url(self.folder / f"{name}.db")

    def seeded(self) -> str:
        """The URL of a new database as the app's start-up leaves a new one: migrated, and
        seeded with the article."""
        assert self.template is not None, "seeded databases are copies of a template"
        name, url = self.template.copy(self.folder)
        if ON_POSTGRESQL:
            self.made.append(name)
        return url

    def drop_all(self) -> None:
        if self.template is not None and self.template.dropper is not None:
            for name in self.made:
                self.template.drop_later(name)
            return
        for name in self.made:
            run_apart(partial(_on_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _tables(connection: Any) -> list[str]:
    # FTS5 keeps its index in tables of its own; their contents are its business.
    return [
        name
        for name in inspect(connection).get_table_names()
        # The search index's own tables, and the budgets' counts (bookkeeping that any
        # request may move, schema.budget), are not data.
        if not name.startswith("search_index_") and name != "rate_usage"
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
