"""Keeps what an import found wrong in a release's posts (seed/wikidata/posts.py) beside them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.quality import FLAGGED
from seed.wikidata.posts import Planned


async def write_flags(session: AsyncSession, planned: Sequence[Planned]) -> int:
    """Replace the flags of the release's posts with those this import found; how many."""
    M, F = models.Mission, models.QualityFlag
    with_id = select(M.wikidata, M.id).where(M.wikidata.is_not(None))
    by_qid = {qid: pk for qid, pk in await session.execute(with_id)}
    # Every post a release named is judged afresh by this one.
    await session.execute(
        delete(F).where(
            F.mission_id.in_(select(M.id).where(M.wikidata.is_not(None))),
            F.kind.in_([kind.value for kind in FLAGGED]),
        )
    )
    rows = {
        (by_qid[entry.post.qid], kind.value): message
        for entry in planned
        if entry.post.qid in by_qid
        for kind, message in entry.flags
    }
    if rows:
        await session.execute(
            insert(F),
            [
                {"mission_id": pk, "kind": kind, "message": text}
                for (pk, kind), text in rows.items()
            ],
        )
    return len(rows)
