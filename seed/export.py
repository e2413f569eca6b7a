"""`bilateral export`: every fact the database holds, table by table, in a file that
`bilateral import` restores into a database without facts (seed/restore.py).

The file is JSON Lines. Its first line is the header: the format, the schema revision,
what is left out and why, and the next id each table gives. Then, for each table in the
order its foreign keys need, a line naming the table, its columns and its row count, then
one line per row (a list of the row's values, in the order of its primary key). Row ids
are kept, so that every global ID, cursor and answer is the same after a restore.
Exporting the same database twice gives the same file.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from typing import Any

from sqlalchemy import Column, Date, DateTime, Integer, Table, func, select, text
from sqlalchemy import Enum as EnumType
from sqlalchemy.ext.asyncio import AsyncSession

import db.models  # noqa: F401 (every table registered on the metadata)
from db.base import Base
from db.partial_date import PartialDate, PartialDateType

FORMAT = "bilateral-export"
VERSION = 1

# What an export leaves out, and why; nothing else is.
LEFT_OUT = {
    "token": "access tokens are secrets of this deployment: make new ones with `bilateral token create`",
    "change": "the change log records this database's history, not its facts",
    "rate_usage": "what clients spent of their rate-limit budgets is this deployment's traffic, not facts",
}


def exported_tables() -> list[Table]:
    """The tables an export writes, parents before children."""
    return [table for table in Base.metadata.sorted_tables if table.name not in LEFT_OUT]


def encode(column: Column[Any], value: Any) -> Any:
    """A column's value as JSON gives it back (see `decode`)."""
    if value is None:
        return None
    if isinstance(value, PartialDate):
        return value.text
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    return value


def decode(column: Column[Any], value: Any) -> Any:
    """A value `encode` wrote, as the column takes it."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, PartialDateType):
        return PartialDate.parse(value)
    if isinstance(kind, EnumType) and kind.enum_class is not None:
        return kind.enum_class[value]
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    return value


async def schema_revision(session: AsyncSession) -> str | None:
    """The database's migration revision, as alembic recorded it."""
    revision: str | None = await session.scalar(text("SELECT version_num FROM alembic_version"))
    return revision


def _generated_id(table: Table) -> bool:
    """Whether the table's rows get their id from the database."""
    key = list(table.primary_key.columns)
    return len(key) == 1 and key[0].name == "id" and isinstance(key[0].type, Integer)


async def next_ids(session: AsyncSession) -> dict[str, int]:
    """The id each table gives next: ids are never reused, not even after a restore."""
    postgres = session.get_bind().dialect.name == "postgresql"
    given: dict[str, int] = {}
    if not postgres:
        given = {name: int(seq) for name, seq in await session.execute(text(SQLITE_SEQUENCES))}
    found: dict[str, int] = {}
    for table in filter(_generated_id, exported_tables()):
        highest = int(await session.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0)
        sequence = await id_sequence(session, table.name) if postgres else None
        if sequence is not None:
            value, called = (
                await session.execute(text(f"SELECT last_value, is_called FROM {sequence}"))
            ).one()
            highest = max(highest, int(value) if called else int(value) - 1)
        highest = max(highest, given.get(table.name, 0))
        found[table.name] = highest + 1
    return found


SQLITE_SEQUENCES = "SELECT name, seq FROM sqlite_sequence"


async def id_sequence(session: AsyncSession, table: str) -> str | None:
    """The PostgreSQL sequence that gives a table's ids, if it has one."""
    name: str | None = await session.scalar(
        text("SELECT pg_get_serial_sequence(:table, 'id')").bindparams(table=table)
    )
    return name


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


async def export_text(session: AsyncSession) -> str:
    """The whole export (read in one transaction, so that it is one moment's database)."""
    tables = exported_tables()
    header = {
        "format": FORMAT,
        "version": VERSION,
        "schema": await schema_revision(session),
        "description": "Every fact of a Bilateral database, table by table; `bilateral import`"
        " restores it into a database without facts. Described in seed/README.md.",
        "not_exported": LEFT_OUT,
        "next_ids": await next_ids(session),
        "tables": [table.name for table in tables],
    }
    lines = [_line(header)]
    for table in tables:
        columns = list(table.c)
        order = list(table.primary_key.columns) or columns
        rows = (await session.execute(select(table).order_by(*order))).all()
        lines.append(
            _line({"table": table.name, "columns": [c.name for c in columns], "rows": len(rows)})
        )
        lines.extend(
            _line([encode(c, value) for c, value in zip(columns, row, strict=True)]) for row in rows
        )
    return "".join(lines)


def is_export(first_line: str) -> bool:
    """Whether a file whose first line this is was written by `bilateral export`."""
    try:
        header = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT
