"""The SQLite the app runs on: a current SQLite library (pysqlite3-binary) behind aiosqlite.

Python's own sqlite3 module uses the system's library, which on Debian 12 is SQLite
3.40 with a fixed parser stack of 100 entries: a compiled query nested five lists deep
overflows it. SQLite 3.46 and later grow that stack as needed, and the wheel brings
one (with FTS5 and the JSON functions) wherever the project is installed.
"""

from __future__ import annotations

import functools
import types
from pathlib import Path
from typing import Any

import aiosqlite
import pysqlite3.dbapi2 as sqlite  # type: ignore[import-untyped]
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

__all__ = ["connect", "dbapi", "sqlite", "version"]

version: str = sqlite.sqlite_version


def connect(
    database: str | Path, *, iter_chunk_size: int = 64, **options: Any
) -> aiosqlite.Connection:
    """An aiosqlite connection (to be awaited) whose thread opens the database with this SQLite."""
    opener = functools.partial(sqlite.connect, str(database), **options)
    connection = aiosqlite.Connection(opener, iter_chunk_size)
    connection._thread.daemon = True  # as SQLAlchemy does: a forgotten one must not block exit
    return connection


def dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given in place of the standard one."""
    names = (
        "DatabaseError",
        "Error",
        "IntegrityError",
        "NotSupportedError",
        "OperationalError",
        "ProgrammingError",
        "sqlite_version",
        "sqlite_version_info",
    )
    facade = types.SimpleNamespace(
        connect=connect,
        Connection=aiosqlite.Connection,
        **{name: getattr(sqlite, name) for name in names},
    )
    return AsyncAdapt_aiosqlite_dbapi(facade, sqlite)  # type: ignore[arg-type]
