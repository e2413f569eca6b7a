"""The SQLite the app runs on, behind aiosqlite: Python's own where it is new enough.

The compiled path writes a query as one statement of nested subqueries, and SQLite
before 3.46.0 parses with a fixed stack of 100 entries: Debian 12's SQLite 3.40 stops
with "parser stack overflow" at the reference query Q2 (six lists deep), 3.45.0 too,
and 3.46.0 on, whose parser stack grows as needed, runs it. So the standard `sqlite3`
module serves where its library is 3.46.0 or later; elsewhere the `pysqlite3-binary`
wheel (a current SQLite, installed on Linux x86-64, the one platform it has wheels for)
if it is there; and failing both, the standard module all the same, with the compiled
path off (`db/statements.py` declines it): the resolvers answer every query, more slowly.
"""

from __future__ import annotations

import functools
import sqlite3
import types
from pathlib import Path
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

__all__ = [
    "COMPILED_NEEDS",
    "connect",
    "dbapi",
    "json_crosses_subqueries",
    "library",
    "runs_compiled",
    "sqlite",
    "version",
]

# The first SQLite whose parser stack grows: the compiled statements need it.
COMPILED_NEEDS = (3, 46, 0)


def _choose() -> tuple[Any, str]:
    """The DBAPI module to use and the name of the package it comes from."""
    if sqlite3.sqlite_version_info >= COMPILED_NEEDS:
        return sqlite3, "sqlite3"
    try:
        import pysqlite3.dbapi2 as wheel  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return sqlite3, "sqlite3"
    return wheel, "pysqlite3-binary"


sqlite, library = _choose()
version: str = sqlite.sqlite_version
# Whether this SQLite parses the compiled path's nested statements.
runs_compiled: bool = sqlite.sqlite_version_info >= COMPILED_NEEDS

# JSON built in a scalar subquery (an object, an ordered aggregate), taken through CASE or
# into an array, as the compiled statements nest it; and what it must read as.
_NESTED = """
    SELECT json_object(
      'one', (SELECT json_object('a', 1)),
      'list', (SELECT json_group_array(json_object('b', x) ORDER BY x DESC)
               FROM (SELECT 1 AS x UNION ALL SELECT 2)),
      'either', CASE WHEN 1 THEN (SELECT json_array(3)) END,
      'items', json_array((SELECT json_object('c', 4)), NULL))
"""
_NESTED_READS = '{"one":{"a":1},"list":[{"b":2},{"b":1}],"either":[3],"items":[{"c":4},null]}'


def _json_crosses_subqueries() -> bool:
    """Whether JSON that a scalar subquery returns stays JSON where it nests in another
    document. SQLite marks the JSON its functions make with a subtype; where the subtype is
    lost, the document nests as a quoted string unless `json()` parses it again, which costs
    a parse of everything below it at every level."""
    connection = sqlite.connect(":memory:")
    try:
        return bool(connection.execute(_NESTED).fetchone()[0] == _NESTED_READS)
    except sqlite.Error:
        return False
    finally:
        connection.close()


json_crosses_subqueries: bool = _json_crosses_subqueries()


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
