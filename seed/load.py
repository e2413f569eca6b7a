"""Writing a checked seed document into the database: merged by natural keys, in one transaction.

The same merge seeds an empty database and imports a file into a full one: an
entry whose natural key is known updates that record, any other is added, and
nothing the file does not mention is removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.kinds import PARTICIPANTS
from db.relation_links import ensure_relations
from db.search import rebuild_search_index
from db.session import analyze
from db.writes.actors import PersonRecord, write_people
from db.writes.batch import assign
from db.writes.edit import Edit, Policy, SourceSpec
from db.writes.events import FigureSpec, NewEvent, ParticipantSpec, QuoteSpec, write_events
from db.writes.missions import HeadRecord, write_heads
from seed.countries import ensure_countries
from seed.document import (
    EventEntry,
    MissionEntry,
    SeedDocument,
    SeedError,
    SourceEntry,
    read_document,
)
from seed.export import is_export
from seed.history.archive import open_archive, shipped
from seed.history.chiefs import ChiefsReport, merge_chiefs, read_chiefs
from seed.history.events import load_shipped_events
from seed.history.posts import PostsReport, merge_posts, read_posts
from seed.restore import RestoreError, read_export, restore
from seed.wikidata.importer import ImportReport, merge_release, read_release

ARTICLE = Path(__file__).parent / "data" / "belgium-malaysia.yaml"
# Wikidata's diplomatic posts as database-of-embassies released them (CC0), compressed.
WORLD = Path(__file__).parent / "data" / "database_of_embassies-2022-11-16.csv.gz"

# Fact tables, children first, so that deleting in this order never breaks a foreign key.
_FACT_TABLES: list[Any] = [
    models.QualityFlag,
    models.event_country,
    models.event_source,
    models.EventCountryDeclared,
    models.Figure,
    models.Quote,
    models.Participation,
    models.Event,
    models.relation_source,
    models.relation_organization,
    models.Relation,
    models.head_of_mission_source,
    models.HeadOfMission,
    models.Accreditation,
    models.Jurisdiction,
    models.MissionClaim,
    models.MissionAddress,
    models.MissionKindPeriod,
    models.mission_source,
    models.Mission,
    models.Position,
    models.Person,
    models.Organization,
    models.Change,
    models.Record,
    models.Dataset,
    models.Source,
]


@dataclass
class MergeReport:
    """What a load added and what it changed, by kind of record."""

    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    world: ImportReport | None = None  # what loading the world's posts did, when asked for
    history: list[Any] = field(default_factory=list)  # the Office of the Historian's events
    posts: PostsReport | None = None  # what loading the US's posts since 1776 did
    chiefs: ChiefsReport | None = None  # what loading the US chiefs of mission did

    def __str__(self) -> str:
        def listed(counts: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "nothing"

        said = f"added {listed(self.added)}; updated {listed(self.updated)}"
        if self.world is not None:
            said += f"; the world's posts: {self.world}"
        if self.posts is not None:
            said += f"; US posts: {self.posts}"
        if self.chiefs is not None:
            said += f"; US chiefs of mission: {self.chiefs}"
        return "; ".join([said, *map(str, self.history)])


async def has_facts(session: AsyncSession) -> bool:
    """Whether anything beyond the country list has been loaded."""
    return bool(await session.scalar(select(func.count()).select_from(models.Source)))


async def ready_for_facts(session: AsyncSession, *, reset: bool) -> bool:
    """Make the database ready for a load: the country list in place, and no facts (cleared
    if `reset` asks for it); False when it holds facts and may not be cleared."""
    await ensure_countries(session)
    if await has_facts(session):
        if not reset:
            return False
        await clear_facts(session)
    return True


async def clear_facts(session: AsyncSession) -> None:
    """Delete every fact, keeping the country list and the tokens.

    Ids start again from 1, as in a new database, so that reloading gives the same rows.
    """
    names = [getattr(table, "__tablename__", None) or table.name for table in _FACT_TABLES]
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"TRUNCATE {', '.join(names)} RESTART IDENTITY"))
        return
    for table in _FACT_TABLES:
        await session.execute(delete(table))
    # Forgetting the highest ids given, as RESTART IDENTITY does: the database is new again.
    await session.execute(
        text("DELETE FROM sqlite_sequence WHERE name IN :names").bindparams(
            bindparam("names", names, expanding=True)
        )
    )


async def seed_database(
    sessions: async_sessionmaker[AsyncSession],
    path: Path = ARTICLE,
    *,
    reset: bool = False,
    world: Path | None = None,
    history: bool = False,
) -> MergeReport | None:
    """Load a seed file, then a Wikidata release if given, then if asked the Office of the
    Historian's archives that Bilateral ships — US posts (gsh), chiefs of mission (pocom), then
    events (travels, visits, rdcr) — into a database without facts; every linked pair of
    countries gets its relation.

    None when the database has facts and `reset` is not asked for. Both files are read
    and checked in full before the database is touched, and the load runs in one
    transaction, so a bad file or a failure changes nothing.
    """
    if not reset:
        # A database that holds facts is left as it is, before any file is read: every
        # start of a server on a seeded database comes here (reading the files first cost
        # each such process 45 MiB at its peak, and its start the time to parse them).
        async with sessions() as session, session.begin():
            await ensure_countries(session)
            if await has_facts(session):
                return None
    document = read_document(path)
    release = None if world is None else read_release(world)
    gsh = open_archive(shipped("gsh")) if history else None
    pocom = read_chiefs(open_archive(shipped("pocom"))) if history else None
    async with sessions() as session, session.begin():
        if not await ready_for_facts(session, reset=reset):
            return None
        report = await merge_document(session, document)
        if release is not None:
            report.world = await merge_release(session, *release)
        if gsh is not None:
            report.posts = await merge_posts(session, gsh, read_posts(gsh))
        if pocom is not None:
            report.chiefs = await merge_chiefs(session, *pocom)
        if history:
            report.history = await load_shipped_events(session)
        await ensure_relations(session)
    if sessions.kw["bind"].dialect.name == "postgresql":
        await analyze(sessions)  # its planner reads statistics, which a bulk load leaves stale
    return report


async def import_file(sessions: async_sessionmaker[AsyncSession], path: Path) -> MergeReport:
    """Merge a seed file into the database, whatever it holds, in one transaction; or restore
    a file `bilateral export` wrote into a database without facts."""
    if is_export_file(path):
        return await restore_file(sessions, path)
    document = read_document(path)
    async with sessions() as session, session.begin():
        await ensure_countries(session)
        report = await merge_document(session, document)
        await ensure_relations(session)
        return report


def is_export_file(path: Path) -> bool:
    """Whether `bilateral export` wrote the file (its first line says so)."""
    try:
        with path.open(encoding="utf-8") as file:
            return is_export(file.readline())
    except (OSError, UnicodeDecodeError):
        return False  # the seed reader says what is wrong with it


async def restore_file(sessions: async_sessionmaker[AsyncSession], path: Path) -> MergeReport:
    """Restore an export into a database without facts, in one transaction; SeedError if the
    file is not a whole export or the database holds facts, and then nothing is written."""
    try:
        export = read_export(path)
    except RestoreError as error:
        raise SeedError([f"{path}: {error}"]) from None
    async with sessions() as session, session.begin():
        if not await ready_for_facts(session, reset=False):
            raise SeedError(
                [
                    f"{path}: the database holds facts; an export is restored only into a"
                    " database without any (a new one)"
                ]
            )
        await restore(session, export)
    return MergeReport(added=export.counts())


async def merge_document(session: AsyncSession, document: SeedDocument) -> MergeReport:
    """Merge a checked document into the session's transaction."""
    return await _DocumentMerge(session, document).merge()


class _DocumentMerge:
    """Merges one document's entries, remembering the row id it found or gave each name."""

    def __init__(self, session: AsyncSession, document: SeedDocument) -> None:
        self.session = session
        self.document = document
        self.report = MergeReport()
        # The row id of each participant the document names, by kind and natural key.
        self.ids: dict[str, dict[str, int]] = {kind.name: {} for kind in PARTICIPANTS}
        self.empty = False
        # The one writer's edit: a file's faults are kept and flagged, and its load is not logged.
        self.edit = Edit(session, "seed", "loadSeedFile", Policy.FLAG, live=False, logged=False)

    async def merge(self) -> MergeReport:
        # Into a database without facts nothing can match, so no entry needs looking up.
        self.empty = not await has_facts(self.session)
        rows = await self.session.execute(select(models.Country.code, models.Country.id))
        self.ids["country"] = {code: pk for code, pk in rows}
        for organization in self.document.organizations:
            await self._organization(organization)
        await self._people(self.document.people)
        for mission in self.document.missions:
            await self._mission(mission)
        for relation in self.document.relations:
            await self._relation(relation)
        await self._events(self.document.events)
        await rebuild_search_index(self.session)
        return self.report

    # -- helpers

    async def _find(self, statement: Any) -> Any:
        """The one row a lookup finds, or None; no query when the database started empty."""
        return None if self.empty else await self.session.scalar(statement)

    async def _all(self, statement: Any) -> list[Any]:
        """The rows a lookup finds; no query when the database started empty."""
        return [] if self.empty else list(await self.session.scalars(statement))

    async def _add(self, row: Any, kind: str) -> int:
        self.session.add(row)
        await self.session.flush()
        self.report.added[kind] += 1
        pk: int = row.id
        return pk

    def _country(self, code: str | None) -> int | None:
        return None if code is None else self.ids["country"][code]

    def _organization_id(self, name: str | None) -> int | None:
        return None if name is None else self.ids["organization"][name]

    async def _source(self, title: str, section: str | None, url: str | None) -> int:
        """The id of a source row, added on first use (by the writer, which remembers it)."""
        [pk] = await self.edit.sources([SourceSpec(title, section, url)], ("sources",))
        return pk

    def _specs(self, section: str | None, own: Sequence[SourceEntry] = ()) -> list[SourceSpec]:
        """An entry's sources as a write takes them: its own, else the file's at its section."""
        if own:
            return [SourceSpec(s.title, s.section, s.url) for s in own]
        return [SourceSpec(self.document.source.title, section, self.document.source.url)]

    async def _cited(self, section: str | None, own: Sequence[SourceEntry] = ()) -> list[int]:
        """An entry's sources: its own list, else the file's document at the entry's section."""
        if own:
            return [await self._source(s.title, s.section, s.url) for s in own]
        document = self.document.source
        return [await self._source(document.title, section, document.url)]

    async def _link(self, table: Table, subject_id: int, source_ids: Sequence[int]) -> bool:
        """Link sources to a fact; True when any link is new."""
        subject = table.c[f"{table.name.removesuffix('_source')}_id"]
        known = set(await self._all(select(table.c.source_id).where(subject == subject_id)))
        new = [pk for pk in dict.fromkeys(source_ids) if pk not in known]
        for pk in new:
            await self.session.execute(
                insert(table).values({subject.key: subject_id, "source_id": pk})
            )
        return bool(new)

    # -- entries

    async def _organization(self, entry: Any) -> None:
        values = {
            "kind": entry.kind,
            "country_id": self._country(entry.country),
            "founded": entry.founded,
            "source_id": (await self._cited(entry.section))[0],
        }
        row = await self._find(
            select(models.Organization).where(models.Organization.name == entry.name)
        )
        if row is None:
            self.ids["organization"][entry.name] = await self._add(
                models.Organization(name=entry.name, **values), "organizations"
            )
        else:
            self.ids["organization"][entry.name] = row.id
            if assign(row, values):
                self.report.updated["organizations"] += 1

    async def _people(self, entries: Sequence[Any]) -> None:
        """Write the people through the one writer, then each one's positions."""
        people = [
            PersonRecord(entry.name, entry.country, self._specs(entry.section)) for entry in entries
        ]
        written = await write_people(self.edit, people)
        if written.created:
            self.report.added["people"] += written.created
        for entry, person_id in zip(entries, written.ids, strict=True):
            self.ids["person"][entry.name] = person_id
            new = person_id in written.new
            changed = await self._positions(entry, person_id, new) or person_id in written.changed
            if changed and not new:
                self.report.updated["people"] += 1

    async def _positions(self, entry: Any, person_id: int, new: bool) -> bool:
        """Merge a person's positions; True when any is added to a known person, or changed."""
        changed = False
        known = {
            position.title: position
            for position in await self._all(
                select(models.Position).where(models.Position.person_id == person_id)
            )
        }
        for position in entry.positions:
            values = {
                "country_id": self._country(position.country),
                "organization_id": self._organization_id(position.organization),
                "start": position.start,
                "end": position.end,
                "held_on": position.held_on,
                "source_id": (await self._cited(position.section))[0],
            }
            existing = known.get(position.title)
            if existing is None:
                self.session.add(
                    models.Position(person_id=person_id, title=position.title, **values)
                )
                changed = changed or not new
            else:
                changed = assign(existing, values) or changed
        return changed

    async def _mission(self, entry: MissionEntry) -> None:
        M = models.Mission
        country_id, host_id = self.ids["country"][entry.country], self.ids["country"][entry.host]
        row = await self._find(
            select(M)
            .where(
                M.country_id == country_id,
                M.host_country_id == host_id,
                M.kind == entry.kind,
                M.city == entry.city,
            )
            .order_by(M.id)  # several posts may share these: the oldest is the seed file's
            .limit(1)
        )
        values = {"name": entry.name, "opened": entry.opened, "closed": entry.closed}
        changed = False
        if row is None:
            mission_id = await self._add(
                M(
                    kind=entry.kind,
                    country_id=country_id,
                    host_country_id=host_id,
                    city=entry.city,
                    **values,
                ),
                "missions",
            )
        else:
            mission_id = row.id
            changed = assign(row, values)
        self.ids["mission"][entry.name] = mission_id
        changed = (
            await self._link(
                models.mission_source, mission_id, await self._cited(entry.section, entry.sources)
            )
            or changed
        )
        changed = await self._claims(mission_id, entry) or changed
        changed = await self._addresses(mission_id, entry) or changed
        changed = await self._accreditations(mission_id, entry, host_id) or changed
        changed = await self._heads(mission_id, entry) or changed
        if changed and row is not None:
            self.report.updated["missions"] += 1

    async def _claims(self, mission_id: int, entry: MissionEntry) -> bool:
        """Record the entry's city and opening date as its source's claims; True when any is new.

        A source has one value per property: a changed value replaces that source's old one,
        and other sources' values stay.
        """
        C = models.MissionClaim
        source_id = (await self._cited(entry.section, entry.sources))[0]
        wanted = {"city": entry.city, "opened": None if entry.opened is None else str(entry.opened)}
        known = {
            claim.property: claim
            for claim in await self._all(
                select(C).where(C.mission_id == mission_id, C.source_id == source_id)
            )
        }
        changed = False
        for name, value in wanted.items():
            claim = known.get(name)
            if claim is not None and claim.value != value:
                await self.session.delete(claim)
                claim = None
            if claim is None and value is not None:
                # The file's value is the post's own (the loader sets it): it is the preferred one.
                await self.session.execute(
                    update(C)
                    .where(
                        C.mission_id == mission_id,
                        C.property == name,
                        C.rank == models.ClaimRank.PREFERRED,
                    )
                    .values(rank=models.ClaimRank.NORMAL, version=C.version + 1)
                )
                self.session.add(
                    C(
                        mission_id=mission_id,
                        property=name,
                        value=value,
                        source_id=source_id,
                        rank=models.ClaimRank.PREFERRED,
                    )
                )
                changed = True
        return changed

    async def _addresses(self, mission_id: int, entry: MissionEntry) -> bool:
        A = models.MissionAddress
        known = {
            (a.address, a.city): a
            for a in await self._all(select(A).where(A.mission_id == mission_id))
        }
        changed = False
        for address in entry.addresses:
            values = {
                "start": address.start,
                "end": address.end,
                "source_id": (await self._cited(address.section))[0],
            }
            existing = known.get((address.address, address.city))
            if existing is None:
                self.session.add(
                    A(mission_id=mission_id, address=address.address, city=address.city, **values)
                )
                changed = True
            else:
                changed = assign(existing, values) or changed
        return changed

    async def _accreditations(self, mission_id: int, entry: MissionEntry, host_id: int) -> bool:
        A = models.Accreditation
        known = {
            (a.country_id, a.organization_id): a
            for a in await self._all(select(A).where(A.mission_id == mission_id))
        }
        wanted: list[tuple[tuple[int | None, int | None], dict[str, Any]]] = []
        for accreditation in entry.accreditations:
            target = (
                self._country(accreditation.country),
                self._organization_id(accreditation.organization),
            )
            values = {
                "start": accreditation.start,
                "end": accreditation.end,
                "source_id": (await self._cited(accreditation.section))[0],
            }
            wanted.append((target, values))
        # A post is accredited to its host country from its opening, whether or not the file says so.
        if all(target != (host_id, None) for target, _ in wanted) and (host_id, None) not in known:
            source_id = (await self._cited(entry.section, entry.sources))[0]
            wanted.insert(
                0, ((host_id, None), {"start": entry.opened, "end": None, "source_id": source_id})
            )
        changed = False
        for (country_id, organization_id), values in wanted:
            existing = known.get((country_id, organization_id))
            if existing is None:
                self.session.add(
                    A(
                        mission_id=mission_id,
                        country_id=country_id,
                        organization_id=organization_id,
                        **values,
                    )
                )
                changed = True
            else:
                changed = assign(existing, values) or changed
        return changed

    async def _heads(self, mission_id: int, entry: MissionEntry) -> bool:
        """Write the post's tenures through the one writer; True when any is new or changed."""
        heads = [
            HeadRecord(
                mission_id=mission_id,
                person_id=self.ids["person"][head.person],
                title=head.title,
                sources=self._specs(head.section, head.sources),
                start=head.start,
                end=head.end,
                ongoing=head.ongoing,
                held_on=head.held_on,
                ordinal=head.ordinal,
                gap_before=head.gap_before,
            )
            for head in entry.heads
        ]
        if not heads:
            return False
        written = await write_heads(self.edit, heads)
        return bool(written.new or written.changed)

    async def _relation(self, entry: Any) -> None:
        first, second = sorted(self.ids["country"][code] for code in entry.countries)
        R = models.Relation
        row = await self._find(select(R).where(R.country_a_id == first, R.country_b_id == second))
        changed = False
        if row is None:
            relation_id = await self._add(
                R(country_a_id=first, country_b_id=second, established=entry.established),
                "relations",
            )
        else:
            relation_id = row.id
            changed = assign(row, {"established": entry.established})
        cited = await self._cited(entry.section, entry.sources)
        changed = await self._link(models.relation_source, relation_id, cited) or changed
        link = models.relation_organization
        known = set(
            await self._all(select(link.c.organization_id).where(link.c.relation_id == relation_id))
        )
        for name in entry.organizations:
            if self.ids["organization"][name] not in known:
                await self.session.execute(
                    insert(link).values(
                        relation_id=relation_id, organization_id=self.ids["organization"][name]
                    )
                )
                changed = True
        if changed and row is not None:
            self.report.updated["relations"] += 1

    async def _events(self, entries: Sequence[EventEntry]) -> None:
        """Write the events through the one writer: each with its participants, quotes and
        figures, which cite the event's first source."""
        records = []
        for entry in entries:
            sources = self._specs(entry.section, entry.sources)
            first = sources[0]
            records.append(
                NewEvent(
                    title=entry.title,
                    kind=entry.kind,
                    date=entry.date,
                    summary=entry.summary,
                    sources=sources,
                    end_date=entry.end_date,
                    place_name=entry.place_name,
                    place_country=entry.place_country,
                    countries=entry.countries,
                    participants=[
                        ParticipantSpec((p.kind, self.ids[p.kind][p.ref]), p.role, first)
                        for p in entry.participants
                    ],
                    figures=[FigureSpec(f.label, f.value, f.unit, first) for f in entry.figures],
                    quotes=[
                        QuoteSpec(
                            self.ids["person"][q.speaker], q.text, q.date or entry.date, first
                        )
                        for q in entry.quotes
                    ],
                )
            )
        written = await write_events(self.edit, records)
        if written.created:
            self.report.added["events"] += written.created
        if written.updated:
            self.report.updated["events"] += written.updated
