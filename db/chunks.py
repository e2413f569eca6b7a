"""Reading rows by many keys: one statement per few thousand, within every database's limit
on bound values (SQLite's is 32,766), so that a batch of any size reads in a few statements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

CHUNK = 5000


def chunks(keys: Sequence[Any]) -> Iterator[list[Any]]:
    """The distinct keys, a chunk at a time."""
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


async def rows_in(
    session: AsyncSession, statement: Select[*tuple[Any, ...]], column: Any, keys: Sequence[Any]
) -> list[Any]:
    """The rows a statement gives where `column` holds one of the keys, chunk after chunk."""
    found: list[Any] = []
    for chunk in chunks(keys):
        found += (await session.execute(statement.where(column.in_(chunk)))).all()
    return found


async def objects_in(
    session: AsyncSession, model: Any, column: Any, keys: Sequence[Any]
) -> list[Any]:
    """The ORM objects of a model whose `column` holds one of the keys."""
    found: list[Any] = []
    for chunk in chunks(keys):
        found += (await session.scalars(select(model).where(column.in_(chunk)))).all()
    return found
