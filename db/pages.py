"""Keyset pagination: pages of ids in a stable order, for one parent or many at once.

A connection's order always ends in a unique column, so every row has a distinct
sort key; a page starts strictly after the key of the cursor it is given, which
neither skips nor repeats a row however the pages are walked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import QueryableAttribute

from db.partial_date import PartialDate
from db.session import Reader

CursorValue = str | int | float | None
# A column to order or group by: a mapped attribute such as Event.date, or any SQL expression.
Column = ColumnElement[Any] | QueryableAttribute[Any]


@dataclass(frozen=True)
class Key:
    """One column of a connection's order."""

    expression: Column
    descending: bool = False

    @property
    def ordering(self) -> Column:
        return self.expression.desc() if self.descending else self.expression.asc()


@dataclass(frozen=True)
class Page:
    """One page: the ids in order, each with its sort key, and whether more follow."""

    ids: list[int]
    keys: list[tuple[CursorValue, ...]]
    has_next: bool


def after(keys: Sequence[Key], values: Sequence[CursorValue]) -> ColumnElement[bool]:
    """Rows that sort strictly after the given key values."""
    clauses = []
    for index, key in enumerate(keys):
        bound = literal(values[index], key.expression.type)
        beyond = key.expression < bound if key.descending else key.expression > bound
        equal = [
            keys[i].expression == literal(values[i], keys[i].expression.type) for i in range(index)
        ]
        clauses.append(and_(*equal, beyond))
    return or_(*clauses)


def _plain(value: Any) -> CursorValue:
    return value.text if isinstance(value, PartialDate) else value


async def read_page(
    reader: Reader,
    ids: Select[Any],
    keys: Sequence[Key],
    first: int,
    cursor: Sequence[CursorValue] | None,
) -> Page:
    """One page of the ids `ids` selects (its first column), in the order of `keys`."""
    statement = ids.add_columns(*(key.expression for key in keys))
    if cursor is not None:
        statement = statement.where(after(keys, cursor))
    statement = statement.order_by(*(key.ordering for key in keys)).limit(first + 1)
    rows = (await reader.execute(statement)).all()
    return Page(
        ids=[row[0] for row in rows[:first]],
        keys=[tuple(_plain(row[i]) for i in range(1, len(row))) for row in rows[:first]],
        has_next=len(rows) > first,
    )


async def read_pages(
    reader: Reader,
    ids: Select[Any],
    parent: Column,
    parents: Sequence[int],
    keys: Sequence[Key],
    first: int,
    cursor: Sequence[CursorValue] | None,
) -> dict[int, Page]:
    """The same page of many parents' rows in one statement.

    `ids` selects the row id first; `parent` is the column that says whose row it is.
    """
    statement = ids.add_columns(
        parent.label("parent"),
        *(key.expression.label(f"key_{index}") for index, key in enumerate(keys)),
        func.row_number()
        .over(partition_by=parent, order_by=[key.ordering for key in keys])
        .label("position"),
    ).where(parent.in_(parents))
    if cursor is not None:
        statement = statement.where(after(keys, cursor))
    ranked = statement.subquery()
    rows = await reader.execute(
        select(ranked)
        .where(ranked.c.position <= first + 1)
        .order_by(ranked.c.parent, ranked.c.position)
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.parent].append(row)
    pages = {}
    for parent_id in parents:
        page_rows = found[parent_id]
        pages[parent_id] = Page(
            ids=[row[0] for row in page_rows[:first]],
            keys=[
                tuple(_plain(row[f"key_{i}"]) for i in range(len(keys)))
                for row in (r._mapping for r in page_rows[:first])
            ],
            has_next=len(page_rows) > first,
        )
    return pages


async def count(reader: Reader, ids: Select[Any]) -> int:
    """How many rows a selection has."""
    return int(
        (await reader.execute(select(func.count()).select_from(ids.subquery()))).scalar_one()
    )


async def counts(
    reader: Reader, ids: Select[Any], parent: Column, parents: Sequence[int]
) -> dict[int, int]:
    """How many rows each parent has, in one statement."""
    grouped = ids.add_columns(parent.label("parent")).where(parent.in_(parents)).subquery()
    rows = await reader.execute(
        select(grouped.c.parent, func.count().label("total")).group_by(grouped.c.parent)
    )
    found = {row.parent: int(row.total) for row in rows}
    return {parent_id: found.get(parent_id, 0) for parent_id in parents}
