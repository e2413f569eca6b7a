"""What an import of the Office of the Historian writes beside its facts: the source rows it
cites and the change log's entries."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.writes.batch import Batch
from db.writes.edit import Edit, Policy

PUBLISHER = "Office of the Historian, U.S. Department of State"
LICENCE = "Public domain (US government work); CC0 1.0 worldwide"
ACTOR = "import"


class Provenance:
    """One import's citations (one source row per record it cites, under one title) and the
    change-log entries of the rows it adds and changes outside the batch writers, written at
    the end by the writers' own code (`db.writes.batch.Batch`)."""

    def __init__(self, session: AsyncSession, title: str, action: str) -> None:
        self.session = session
        self.title = title
        self.action = action
        # The rows it adds and changes, by kind, logged at the end (an import runs in a
        # process of its own: nobody here to announce them to).
        self.edit = Edit(session, ACTOR, action, Policy.FLAG, live=False)
        self.batches: dict[str, Batch] = {}

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

    async def watch(self, kind: str, ids: list[int]) -> None:
        """Read these rows as they are, before the import changes any of them: the change log
        will hold those it changed, as they were and as they are."""
        await self._batch(kind).existing(ids)

    def created(self, kind: str, pk: int) -> None:
        """Note a row the import added, for the change log."""
        self._batch(kind).created.append(pk)

    def _batch(self, kind: str) -> Batch:
        if kind not in self.batches:
            self.batches[kind] = Batch(self.edit, kind, None)
        return self.batches[kind]

    async def write_log(self) -> None:
        """Write what the import added and changed to the change log, each row as the one
        snapshot code of its kind shows it (`db.writes.snapshots`), as every writer does."""
        for batch in self.batches.values():
            await batch.finish([], [])
        self.batches = {}
