"""What every batch write shares: the rows its records match, and what it did with them.

A record is one object as a write gives it. One given with a `key` (the source's own id for
it) and an `origin` (the source: "pocom") is the row that key was first written to, so that
importing the same release twice changes nothing and a newer one updates each row by its
key; without, it is matched by its kind's natural key, as each writer says. Each batch
ends with `Batch.finish`: the change log gets every row it created, and every row it changed
(as it was and as it is); a row it left as it was is counted, not logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import false, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.chunks import objects_in
from db.kinds import BY_NAME
from db.search import reindex
from db.writes.changes import Logged, log_changes, snapshots
from db.writes.edit import Edit
from db.writes.snapshots import Snapshots


def assign(row: Any, values: dict[str, Any]) -> bool:
    """Give a row these values; True when any differed."""
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    for name, value in changed.items():
        setattr(row, name, value)
    return bool(changed)


def differences(
    rows: Sequence[int | None], values: Sequence[dict[str, Any]], found: dict[int, Any]
) -> dict[int, dict[str, Any]]:
    """What a batch changes on each row it matched (the values of its records that differ
    from the row's), found before anything is written; by row id."""
    changes: dict[int, dict[str, Any]] = {}
    for pk, given in zip(rows, values, strict=True):
        if pk is not None:
            differs = {name: v for name, v in given.items() if getattr(found[pk], name) != v}
            if differs:
                changes.setdefault(pk, {}).update(differs)
    return changes


@dataclass
class Written:
    """What a batch write did: each record's row id, in order, and how many rows it created,
    updated, or found as the record gives them."""

    ids: list[int] = field(default_factory=list)
    new: set[int] = field(default_factory=set)  # the rows it created, of those ids
    changed: set[int] = field(default_factory=set)  # and the rows it updated
    # The rows it matched by natural key rather than by the record's own id (another
    # source's, adopted), where its writer tells them apart (write_people does).
    adopted: set[int] = field(default_factory=set)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


async def insert_rows(
    session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]]
) -> list[int]:
    """Insert rows into a table with an `id` in a few statements; their ids, in order.

    PostgreSQL returns them in the rows' order, as SQLite does for one row. For more, SQLite
    would insert row by row to do that, so they are inserted as one batch and read back: the
    transaction first takes SQLite's one write lock (a write that changes nothing), so that
    no one else adds rows meanwhile, and its ids grow in the order rows are inserted.
    """
    if not rows:
        return []
    if len(rows) == 1 or session.get_bind().dialect.name == "postgresql":
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(await session.scalars(statement, list(rows)))
    await session.flush()
    await session.execute(update(table).where(false()).values(id=table.c.id))  # the lock
    last = await session.scalar(select(func.max(table.c.id))) or 0
    await session.execute(insert(table), list(rows))
    added = select(table.c.id).where(table.c.id > last).order_by(table.c.id)
    ids = list(await session.scalars(added))
    assert len(ids) == len(rows), "rows were added to the table meanwhile"
    return ids


class Batch:
    """One batch write of one kind: the rows its records name, and how they were before."""

    def __init__(self, edit: Edit, kind: str, origin: str | None) -> None:
        self.edit, self.kind, self.origin = edit, kind, origin
        self.created: list[int] = []
        self.before: Snapshots = {}
        self.keys: dict[str, int] = {}  # the rows earlier imports of this origin wrote, by key
        self.unchanged = 0  # rows matched and found as their records give them, not read

    async def recorded(self, keys: Sequence[str | None]) -> dict[str, int]:
        """The row each of these keys was first written to, for those written before."""
        wanted = [key for key in dict.fromkeys(keys) if key is not None]
        if self.origin is None or not wanted:
            return {}
        R = models.Record
        rows = await self.edit.session.execute(
            select(R.key, R.ref_id).where(
                R.origin == self.origin, R.kind == self.kind, R.key.in_(wanted)
            )
        )
        self.keys.update(dict(rows.all()))
        return self.keys

    async def rows(self, model: Any, ids: Sequence[int]) -> dict[int, Any]:
        """The rows of a model with these ids, read in a few statements, by id."""
        return {row.id: row for row in await objects_in(self.edit.session, model, model.id, ids)}

    async def existing(self, ids: Sequence[int], unchanged: int = 0) -> None:
        """Read these rows as they are, before the batch changes any; `unchanged` more rows
        matched need no change (a writer that knows which rows it changes reads only those)."""
        self.unchanged += unchanged
        await self.edit.session.flush()
        self.before.update(await snapshots(self.edit.session, self.kind, ids))

    async def finish(self, ids: Sequence[int], keys: Sequence[str | None]) -> Written:
        """Remember new keys, log the changes, bring search up to date; what was done."""
        session = self.edit.session
        unrecorded = {
            key: pk
            for key, pk in zip(keys, ids, strict=True)
            if key is not None and key not in self.keys
        }
        if self.origin is not None and unrecorded:
            await session.execute(
                insert(table_of(models.Record)),
                [
                    {"origin": self.origin, "kind": self.kind, "key": key, "ref_id": pk}
                    for key, pk in unrecorded.items()
                ],
            )
        await session.flush()
        after = await snapshots(session, self.kind, [*self.created, *self.before])
        changed = {pk for pk, was in self.before.items() if after.get(pk) != was}  # or gone
        changes = [Logged(self.kind, pk, None, after[pk]) for pk in self.created]
        changes += [Logged(self.kind, pk, self.before[pk], after.get(pk)) for pk in changed]
        edit = self.edit
        if edit.logged:
            await log_changes(session, edit.actor, edit.action, changes, here=edit.live)
        if BY_NAME[self.kind].search_text is not None:
            await reindex(session, self.kind, [change.target_id for change in changes])
        new = set(self.created)
        unchanged = len(self.before) - len(changed) + self.unchanged
        return Written(
            list(ids), new, changed, created=len(new), updated=len(changed), unchanged=unchanged
        )
