"""Restoring a file `bilateral export` wrote (seed/export.py) into a database without facts.

The whole file is read and checked before the database is touched; the restore runs in one
transaction and gives every row back with its id, so every answer is the same as before.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from db.search import rebuild_search_index
from seed.export import FORMAT, VERSION, decode, exported_tables, id_sequence

BATCH = 2000  # rows per INSERT: well under either database's limit of bound parameters


class RestoreError(Exception):
    """The file cannot be restored; the message says why, and nothing was written."""


@dataclass
class Export:
    """A read and checked export: each table's rows, as the columns take them."""

    next_ids: dict[str, int]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> Counter[str]:
        return Counter({name: len(rows) for name, rows in self.rows.items() if rows})


def read_export(path: Path) -> Export:
    """Read and check an export; RestoreError says what is wrong with it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RestoreError(f"cannot be read: {error}") from None
    try:
        return _parse(lines)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise RestoreError(f"is not a whole export: {error!r}") from None


def _parse(lines: list[str]) -> Export:
    header = json.loads(lines[0])
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise ValueError(f"not a {FORMAT} file of version {VERSION}")
    tables = {table.name: table for table in exported_tables()}
    export = Export(next_ids={str(k): int(v) for k, v in header["next_ids"].items()})
    at = 1
    while at < len(lines):
        block = json.loads(lines[at])
        table: Table = tables[block["table"]]
        columns = [table.c[name] for name in block["columns"]]
        rows = [json.loads(line) for line in lines[at + 1 : at + 1 + block["rows"]]]
        if len(rows) != block["rows"] or any(len(row) != len(columns) for row in rows):
            raise ValueError(f"table {table.name}: the rows are cut short")
        export.rows[table.name] = [
            {c.key: decode(c, value) for c, value in zip(columns, row, strict=True)} for row in rows
        ]
        at += 1 + block["rows"]
    missing = set(header["tables"]) - set(export.rows)
    if missing:
        raise ValueError(f"tables missing: {', '.join(sorted(missing))}")
    return export


async def restore(session: AsyncSession, export: Export) -> None:
    """Make the session's database hold exactly the export's rows, with their ids."""
    tables = exported_tables()
    for table in reversed(tables):  # the country list and registered queries a new one holds
        await session.execute(delete(table))
    for table in tables:
        rows = export.rows.get(table.name, [])
        for start in range(0, len(rows), BATCH):
            await session.execute(insert(table), rows[start : start + BATCH])
    await _continue_ids(session, export.next_ids)
    await rebuild_search_index(session)


async def _continue_ids(session: AsyncSession, next_ids: dict[str, int]) -> None:
    """Each table gives next the id the exported database would have given."""
    postgres = session.get_bind().dialect.name == "postgresql"
    for name, next_id in next_ids.items():
        if not postgres:  # SQLite's AUTOINCREMENT carries on after the highest id it recorded
            await session.execute(
                text("DELETE FROM sqlite_sequence WHERE name = :name").bindparams(name=name)
            )
            await session.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)").bindparams(
                    name=name, seq=next_id - 1
                )
            )
            continue
        sequence = await id_sequence(session, name)
        if sequence is not None:
            await session.execute(
                text("SELECT setval(:sequence, :value, :called)").bindparams(
                    sequence=sequence, value=max(next_id - 1, 1), called=next_id > 1
                )
            )
