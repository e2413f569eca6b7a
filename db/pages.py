"""Keyset pagination: pages of ids in a stable order, for one parent or many at once.

A connection's order always ends in a unique column, so every row has a distinct
sort key; a page starts strictly after the key of the cursor it is given (or ends
strictly before it, paging backwards), which neither skips nor repeats a row however
the pages are walked.
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
class Keyset:
    """A connection's order: the name its cursors carry (a cursor of one connection is refused
    by another), and the keys its rows sort by, the last one unique."""

    name: str
    keys: tuple[Key, ...]


@dataclass(frozen=True)
class Window:
    """Which page to read: `size` rows between two cursors (either may be absent), taken from
    the start of what lies between them, or from its end (`last`, paging backwards)."""

    size: int
    after: tuple[CursorValue, ...] | None = None
    before: tuple[CursorValue, ...] | None = None
    from_end: bool = False

    def bounded(self, statement: Select[Any], keys: Sequence[Key]) -> Select[Any]:
        """The statement limited to the rows between the cursors."""
        if self.after is not None:
            statement = statement.where(after(keys, self.after))
        if self.before is not None:
            statement = statement.where(after(_reversed(keys), self.before))
        return statement

    def ordering(self, keys: Sequence[Key]) -> list[Column]:
        """The order to read rows in: from the end when taking the last ones."""
        return [key.ordering for key in (_reversed(keys) if self.from_end else keys)]

    def page(self, rows: Sequence[Any], keys_of: Any) -> Page:
        """The page from up to size + 1 rows read in `ordering`; `keys_of(row)` gives a row's key."""
        more = len(rows) > self.size
        taken = list(rows[: self.size])
        if self.from_end:
            taken.reverse()
        return Page(
            ids=[row[0] for row in taken],
            keys=[keys_of(row) for row in taken],
            has_next=self.before is not None if self.from_end else more,
            has_previous=more if self.from_end else self.after is not None,
        )


@dataclass(frozen=True)
class Page:
    """One page: the ids in order, each with its sort key, and whether items follow or precede."""

    ids: list[int]
    keys: list[tuple[CursorValue, ...]]
    has_next: bool
    has_previous: bool = False


def _reversed(keys: Sequence[Key]) -> list[Key]:
    return [Key(key.expression, not key.descending) for key in keys]


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


async def read_page(reader: Reader, ids: Select[Any], keys: Sequence[Key], window: Window) -> Page:
    """One page of the ids `ids` selects (its first column), in the order of `keys`."""
    statement = window.bounded(ids.add_columns(*(key.expression for key in keys)), keys)
    statement = statement.order_by(*window.ordering(keys)).limit(window.size + 1)
    rows = (await reader.execute(statement)).all()
    return window.page(rows, lambda row: tuple(_plain(row[i]) for i in range(1, len(row))))


async def read_pages(
    reader: Reader,
    ids: Select[Any],
    parent: Column,
    parents: Sequence[int],
    keys: Sequence[Key],
    window: Window,
) -> dict[int, Page]:
    """The same page of many parents' rows in one statement.

    `ids` selects the row id first; `parent` is the column that says whose row it is.
    """
    statement = ids.add_columns(
        parent.label("parent"),
        *(key.expression.label(f"key_{index}") for index, key in enumerate(keys)),
        func.row_number()
        .over(partition_by=parent, order_by=window.ordering(keys))
        .label("position"),
    ).where(parent.in_(parents))
    ranked = window.bounded(statement, keys).subquery()
    rows = await reader.execute(
        select(ranked)
        .where(ranked.c.position <= window.size + 1)
        .order_by(ranked.c.parent, ranked.c.position)
    )
    found: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        found[row.parent].append(row)

    def keys_of(row: Any) -> tuple[CursorValue, ...]:
        return tuple(_plain(row._mapping[f"key_{i}"]) for i in range(len(keys)))

    return {parent_id: window.page(found[parent_id], keys_of) for parent_id in parents}


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
