"""What every write shares: the problems it finds, the session, the actor and the change log."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.chunks import rows_in
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


class Policy(enum.Enum):
    """What a write does with a fault in sourced data (an end before a start, a second head in
    office): a mutation refuses it, an import keeps the row as its source gives it."""

    REFUSE = "refuse"  # a Problem: nothing is written (Rejected)
    FLAG = "flag"  # the row is kept, the fault listed in `Edit.flagged`; db.quality reports it


@dataclass
class Edit:
    """One write: its session, who makes it, what it is called in the change log, and its policy.

    A mutation's edit refuses faults and is `live`: the server it runs in hands its changes to
    its subscribers. An import's flags them, and runs in a process of its own.
    """

    session: AsyncSession
    actor: str
    action: str
    policy: Policy = Policy.REFUSE
    live: bool = True
    # Whether its changes go to the change log: a seed file's load is the record's starting
    # point, not a change to it.
    logged: bool = True
    problems: list[Problem] = field(default_factory=list)
    # The faults kept under Policy.FLAG, each with the index of its record in its batch.
    flagged: list[tuple[int, Problem]] = field(default_factory=list)
    _sources: dict[tuple[str, str | None, str | None], int] = field(default_factory=dict)
    _countries: dict[str, int | None] = field(default_factory=dict)  # by ISO code, as found
    _existing: set[Ref] = field(default_factory=set)  # references known to name a row

    def reject(self, field: Field, message: str, code: str = "INVALID") -> None:
        self.problems.append(Problem(field, message, code))

    def fault(self, index: int, field: Field, message: str, code: str = "INVALID") -> None:
        """A fault in sourced data: refused, or kept and flagged, as the policy says."""
        if self.policy is Policy.REFUSE:
            self.reject(field, message, code)
        else:
            self.flagged.append((index, Problem(field, message, code)))

    def on_own_word(self, specs: Sequence[SourceSpec]) -> list[SourceSpec]:
        """The sources a write names; without any, its editor (the token's name, as the change
        log has it): a fact stated on an editor's own word is sourced to them, never to more."""
        return list(specs) or [SourceSpec(title=f"Bilateral editor {self.actor}")]

    def stop_if_rejected(self) -> None:
        """Raise Rejected with every problem found so far, if there is any."""
        if self.problems:
            raise Rejected(self.problems)

    def text(
        self, value: str | None, field: Field, what: str, index: int | None = None
    ) -> str | None:
        """Text with its spaces tidied; a problem if it is given but blank (a fault of the
        batch's record `index`, where one is given: a source left it blank)."""
        if value is None:
            return None
        tidy = " ".join(value.split())
        if not tidy and index is not None:
            self.fault(index, field, f"{what} must not be empty.")
        elif not tidy:
            self.reject(field, f"{what} must not be empty.")
        return tidy

    def period(
        self,
        start: PartialDate | None,
        end: PartialDate | None,
        field: Field,
        what: str = "end",
        index: int = 0,
    ) -> None:
        """A fault when the end comes before the start."""
        if start is not None and end is not None and end.last_day < start.first_day:
            self.fault(index, field, f"The {what} {end} is before the start {start}.")

    async def country(self, code: str | None, field: Field) -> int | None:
        """The row id of a country given by ISO code; a problem if there is none."""
        if code is None:
            return None
        if code in self._countries:  # a batch names a few countries many times
            pk = self._countries[code]
        else:
            found = find_iso_country(code)
            pk = None
            if found is not None:
                pk = await self.session.scalar(
                    select(models.Country.id).where(models.Country.code == found.code)
                )
            self._countries[code] = pk
        if pk is None:
            self.reject(field, f"{code[:20]!r} is not an ISO 3166-1 country code.", "NOT_FOUND")
        return pk

    async def look_up(self, refs: Iterable[Ref]) -> None:
        """Read which of these references name a row, a statement per kind, so that `exists`
        answers a batch's references without a statement each."""
        by_kind: dict[str, list[int]] = {}
        for kind, pk in refs:
            by_kind.setdefault(kind, []).append(pk)
        for kind, pks in by_kind.items():
            model: Any = BY_NAME[kind].model
            found = await rows_in(self.session, select(model.id), model.id, pks)
            self._existing.update((kind, pk) for (pk,) in found)

    async def exists(self, ref: Ref, field: Field) -> bool:
        """Whether the row a reference names exists; a problem if not."""
        kind, pk = ref
        found = ref in self._existing or await self.session.get(BY_NAME[kind].model, pk) is not None
        if not found:
            self.reject(field, f"No {kind.replace('_', ' ')} has this ID.", "NOT_FOUND")
        return found

    async def cite(self, specs: Iterable[SourceSpec]) -> None:
        """Find or add every source a batch cites, in a few statements: each record's
        `sources` then finds its own here (an import cites thousands)."""
        wanted = {  # in the order given: new sources are numbered so
            key: None
            for spec in specs
            if (title := " ".join(spec.title.split()))
            and (key := (title, spec.section, spec.url)) not in self._sources
        }
        if not wanted:
            return
        S = models.Source
        statement = select(S.title, S.section, S.url, S.id).order_by(S.id)

        async def read() -> None:
            for title, section, url, pk in await rows_in(
                self.session, statement, S.title, sorted({key[0] for key in wanted})
            ):
                if (title, section, url) in wanted:
                    self._sources.setdefault((title, section, url), pk)

        await read()
        missing = [key for key in wanted if key not in self._sources]
        if missing:
            await self.session.execute(
                insert(table_of(S)),
                [
                    {"title": title, "section": section, "url": url}
                    for title, section, url in missing
                ],
            )
            await read()

    async def sources(self, specs: Sequence[SourceSpec], field: Field) -> list[int]:
        """Row ids of these sources, adding the ones not recorded yet."""
        ids = []
        for index, spec in enumerate(specs):
            title = self.text(spec.title, (*field, index, "title"), "A source's title")
            if not title:
                continue
            key = (title, spec.section, spec.url)
            if key in self._sources:  # a batch cites one source many times
                ids.append(self._sources[key])
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
            self._sources[key] = row.id
            ids.append(row.id)
        return ids

    async def log(self, target: str, target_id: int, before: dict[str, Any] | None) -> None:
        """Record the change, with the target as it is now, in the same transaction."""
        await self.session.flush()
        after = await snapshot(self.session, target, target_id)
        change = Logged(target, target_id, before, after)
        await log_changes(self.session, self.actor, self.action, [change], here=self.live)


def _same(column: Any, value: str | None) -> Any:
    return column.is_(None) if value is None else column == value
