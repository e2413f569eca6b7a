"""The shared store of persisted queries: find a text by its hash, register one, keep the newest."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PersistedQuery


async def find_query(session: AsyncSession, sha256: str) -> str | None:
    """The text registered under a hash, or None."""
    found: str | None = await session.scalar(
        select(PersistedQuery.text).where(PersistedQuery.sha256 == sha256)
    )
    return found


async def register_query(session: AsyncSession, sha256: str, text: str, keep: int) -> None:
    """Register a text under its hash, then drop the oldest beyond the `keep` newest."""
    if await find_query(session, sha256) is not None:
        return
    try:
        async with session.begin_nested():
            session.add(PersistedQuery(sha256=sha256, text=text))
    except IntegrityError:  # another process registered the same text just now
        return
    newest = select(PersistedQuery.sha256).order_by(PersistedQuery.registered_at.desc())
    await session.execute(
        delete(PersistedQuery).where(PersistedQuery.sha256.not_in(newest.limit(keep)))
    )
