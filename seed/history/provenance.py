"""What an import of the Office of the Historian writes beside its facts: the source rows it
cites and the change log's entries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of

PUBLISHER = "Office of the Historian, U.S. Department of State"
LICENCE = "Public domain (US government work); CC0 1.0 worldwide"
ACTOR = "import"


class Provenance:
    """One import's citations (one source row per record it cites, under one title) and the
    change-log entries it makes, written at the end in one statement."""

    def __init__(self, session: AsyncSession, title: str, action: str) -> None:
        self.session = session
        self.title = title
        self.action = action
        self.changes: list[dict[str, Any]] = []

    async def sources(
        self, keys: list[tuple[str | None, str]]
    ) -> dict[tuple[str | None, str | None], int]:
        """The source row of each (section, url), added where missing, in two statements."""
        S = models.Source
        query = select(S.section, S.url, S.id).where(S.title == self.title)
        known = {(section, url): pk for section, url, pk in await self.session.execute(query)}
        missing = [key for key in dict.fromkeys(keys) if key not in known]
        if missing:
            await self.session.execute(
                insert(table_of(S)),
                [{"title": self.title, "section": s, "url": u} for s, u in missing],
            )
            known = {(section, url): pk for section, url, pk in await self.session.execute(query)}
        return known

    def log(self, kind: str, pk: int, before: Any, after: Any) -> None:
        """Note a change to one object, to be written by `write_log`."""
        self.changes.append(
            {
                "actor": ACTOR,
                "action": self.action,
                "target_type": kind,
                "target_id": pk,
                "before": before,
                "after": after,
            }
        )

    async def write_log(self) -> None:
        """Write the changes noted so far to the change log."""
        if self.changes:
            await self.session.execute(insert(table_of(models.Change)), self.changes)
            self.changes = []
