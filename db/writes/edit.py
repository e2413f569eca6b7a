"""What every write shares: the problems it finds, the session, the actor and the change log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.countries import find_iso_country
from db.kinds import BY_NAME
from db.partial_date import PartialDate
from db.writes.changes import Logged, log_changes, snapshot

# What a reference to a participant or accreditee names: ("person", 3), ("country", 12), …
Ref = tuple[str, int]
# Where a problem lies, in the write's own terms: the name of one of its arguments (or of a
# field of one), then positions and names within it: ("host",), ("sources", 0, "title").
# The caller maps these to where its own input holds them.
Field = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: which field, what, and its code (INVALID, NOT_FOUND, DUPLICATE, CONFLICT)."""

    field: Field
    message: str
    code: str = "INVALID"


class Rejected(Exception):
    """The input cannot be written; nothing was."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class SourceSpec:
    """A source as a write gives it."""

    title: str
    section: str | None = None
    url: str | None = None


@dataclass
class Edit:
    """One mutation's write: its session, who makes it, and what it is called in the change log."""

    session: AsyncSession
    actor: str
    action: str
    problems: list[Problem] = field(default_factory=list)

    def reject(self, field: Field, message: str, code: str = "INVALID") -> None:
        self.problems.append(Problem(field, message, code))

    def stop_if_rejected(self) -> None:
        """Raise Rejected with every problem found so far, if there is any."""
        if self.problems:
            raise Rejected(self.problems)

    def text(self, value: str | None, field: Field, what: str) -> str | None:
        """Text with its spaces tidied; a problem if it is given but blank."""
        if value is None:
            return None
        tidy = " ".join(value.split())
        if not tidy:
            self.reject(field, f"{what} must not be empty.")
        return tidy

    def period(
        self, start: PartialDate | None, end: PartialDate | None, field: Field, what: str = "end"
    ) -> None:
        if start is not None and end is not None and end.last_day < start.first_day:
            self.reject(field, f"The {what} {end} is before the start {start}.")

    async def country(self, code: str | None, field: Field) -> int | None:
        """The row id of a country given by ISO code; a problem if there is none."""
        if code is None:
            return None
        found = find_iso_country(code)
        pk = None
        if found is not None:
            pk = await self.session.scalar(
                select(models.Country.id).where(models.Country.code == found.code)
            )
        if pk is None:
            self.reject(field, f"{code[:20]!r} is not an ISO 3166-1 country code.", "NOT_FOUND")
        return pk

    async def exists(self, ref: Ref, field: Field) -> bool:
        """Whether the row a reference names exists; a problem if not."""
        kind, pk = ref
        found = await self.session.get(BY_NAME[kind].model, pk) is not None
        if not found:
            self.reject(field, f"No {kind.replace('_', ' ')} has this ID.", "NOT_FOUND")
        return found

    async def sources(self, specs: Sequence[SourceSpec], field: Field) -> list[int]:
        """Row ids of these sources, adding the ones not recorded yet."""
        ids = []
        for index, spec in enumerate(specs):
            title = self.text(spec.title, (*field, index, "title"), "A source's title")
            if not title:
                continue
            row = await self.session.scalar(
                select(models.Source).where(
                    models.Source.title == title,
                    _same(models.Source.section, spec.section),
                    _same(models.Source.url, spec.url),
                )
            )
            if row is None:
                row = models.Source(title=title, section=spec.section, url=spec.url)
                self.session.add(row)
                await self.session.flush()
            ids.append(row.id)
        return ids

    async def log(self, target: str, target_id: int, before: dict[str, Any] | None) -> None:
        """Record the change, with the target as it is now, in the same transaction."""
        await self.session.flush()
        after = await snapshot(self.session, target, target_id)
        change = Logged(target, target_id, before, after)
        await log_changes(self.session, self.actor, self.action, [change], here=True)


def _same(column: Any, value: str | None) -> Any:
    return column.is_(None) if value is None else column == value
