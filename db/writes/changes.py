"""The change log: every write records what it changed, before and after, in its transaction.

`log_changes` takes a batch: a mutation logs one change, an import thousands, each with
the snapshots `db.kinds` says how to write (`snapshots`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.feed import announce, heard_everywhere
from db.kinds import BY_NAME
from db.writes.snapshots import Snapshots


@dataclass(frozen=True)
class Logged:
    """One change: the kind and row id of what changed, as it was and as it is (None: absent)."""

    kind: str
    target_id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


async def snapshots(session: AsyncSession, kind: str, ids: Sequence[int]) -> Snapshots:
    """Objects of one kind as the change log shows them, by row id; absent ones left out."""
    write = BY_NAME[kind].snapshot
    assert write is not None, f"the change log does not record {kind}"
    return await write(session, ids) if ids else {}


async def snapshot(session: AsyncSession, kind: str, pk: int) -> dict[str, Any] | None:
    """One object as the change log shows it, or None when it does not exist."""
    return (await snapshots(session, kind, [pk])).get(pk)


async def log_changes(
    session: AsyncSession, actor: str, action: str, changes: Sequence[Logged], *, here: bool
) -> None:
    """Record changes made by one actor's action, and announce them to live subscribers.

    `here`: the write runs in a server's process, whose subscribers hear of it from the
    writer (on SQLite). An import elsewhere on SQLite has no one to tell, and reading
    thousands of new ids back would double its time; PostgreSQL tells every server.
    """
    if not changes:
        return
    rows = [
        {
            "actor": actor,
            "action": action,
            "target_type": change.kind,
            "target_id": change.target_id,
            "before": change.before,
            "after": change.after,
        }
        for change in changes
    ]
    table = table_of(models.Change)
    if here or heard_everywhere(session):
        logged = await session.scalars(insert(table).returning(table.c.id), rows)
        await announce(session, logged.all())
    else:
        await session.execute(insert(table), rows)
