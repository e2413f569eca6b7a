"""Importing events from the Office of the Historian's travels, visits and rdcr, in one
transaction each.

Events are written by their one writer (`db.writes.events.write_events`, with the import's
policy: a faulty record is kept and flagged), each keyed by its record id under its dataset's
name (the source_record table), so importing a release twice changes nothing and a newer
release updates what changed, and the change log shows each event as a mutation's does; an
event a newer release no longer has is kept (the report counts it). Every event cites its record:
a source titled by the dataset, its section the record id, its URL the page on
history.state.gov. People are found by pocom's id where the record gives one (and made with
it where pocom's import has not), else by their name. Each event is between the United
States and the record's country (through the territory crosswalk; an id that maps to nothing
is an error, nothing is written); ids of one dataset that name the same country are noticed
(synonyms, misspellings). Every pair the events link gets its relation, and rdcr says when
relations were established (the first establishment) and where they stand (the last step).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.relation_links import ensure_relations, ordered
from db.writes.actors import PersonRecord, write_people
from db.writes.batch import Batch
from db.writes.edit import Edit, Policy, SourceSpec
from db.writes.events import NewEvent, ParticipantSpec, write_events
from seed.history import rdcr, travels, visits
from seed.history.archive import Archive, open_archive, shipped
from seed.history.event_records import (
    HOME,
    LICENCE,
    PUBLISHER,
    EventRecord,
    Mention,
    Records,
    RecordsError,
)
from seed.history.report import ImportReport, Skip
from seed.history.territories import country_of

ACTOR = "import"
ACTION = "importEvents"

# Maps an Office territory id to a country code (ISO 3166-1 alpha-2, or a former state's).
Crosswalk = Callable[[str], str | None]


@dataclass(frozen=True)
class Dataset:
    """What the importer knows of one of the three datasets."""

    name: str
    title: str
    repository: str
    read: Callable[[Archive], Records]


DATASETS = {
    module.DATASET: Dataset(module.DATASET, module.TITLE, module.REPOSITORY, read)
    for module, read in (
        (travels, travels.read_travels),
        (visits, visits.read_visits),
        (rdcr, rdcr.read_rdcr),
    )
}


@dataclass
class EventsReport(ImportReport):
    """What an import did with each record of the release (`merged` and `removed` stay 0)."""

    dataset: str = ""
    absent: int = 0  # events of an earlier release that this one no longer has (kept)
    people: Counter[str] = field(default_factory=Counter)
    relations: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        absent = f", {self.absent} no longer in the release (kept)" if self.absent else ""
        return (
            f"{self.counts(self.dataset + ' records')}{absent}; "
            f"people {dict(self.people)}; relations {dict(self.relations)}"
        )


def read_records(archive: Archive) -> Records:
    """The archive's records, read by its dataset's reader; RecordsError for another dataset."""
    dataset = DATASETS.get(archive.dataset)
    if dataset is None:
        raise RecordsError(
            [
                f"{archive.source}: a {archive.dataset} archive holds no events (travels, visits, rdcr)"
            ]
        )
    return dataset.read(archive)


def _unmapped(records: Records, crosswalk: Crosswalk) -> list[str]:
    """Each country id the release uses that maps to no country, with where it is first used."""
    first: dict[str, str] = {}
    for record in records.records:
        for territory in (
            record.territory,
            record.place_territory,
            *(m.territory for m in record.people),
        ):
            if territory and territory not in first:
                first[territory] = f"{record.path} record {record.record_id}"
    return [
        f"{where}: the country id {territory!r} maps to no country"
        for territory, where in first.items()
        if crosswalk(territory) is None
    ]


def _synonyms(records: Records, crosswalk: Crosswalk) -> list[Skip]:
    """A notice for each country named by several ids in one release (a synonym or a
    misspelling, as `somoa` for `samoa`), on the first record of each rarer id."""
    uses: Counter[str] = Counter(record.territory for record in records.records)
    first: dict[str, EventRecord] = {}
    for record in records.records:
        first.setdefault(record.territory, record)
    by_code: dict[str, list[str]] = defaultdict(list)
    for territory in uses:
        code = crosswalk(territory)
        if code is not None:
            by_code[code].append(territory)
    notices = []
    for code, ids in sorted(by_code.items()):
        if len(ids) < 2:
            continue
        ids.sort(key=lambda territory: (-uses[territory], territory))
        for rarer in ids[1:]:
            record = first[rarer]
            notices.append(
                Skip(
                    record.path,
                    record.record_id,
                    f"country id {rarer!r} ({uses[rarer]} records) names {code}, as "
                    f"{ids[0]!r} ({uses[ids[0]]} records) does: a synonym or a misspelling",
                )
            )
    return notices


async def merge_events(
    session: AsyncSession,
    records: Records,
    crosswalk: Crosswalk,
    version: str | None = None,
    released: Any = None,
) -> EventsReport:
    """Merge a read release into the session's transaction; RecordsError (before anything is
    written) where a country id maps to no country."""
    problems = _unmapped(records, crosswalk)
    if problems:
        raise RecordsError(problems)
    report = EventsReport(
        dataset=records.dataset,
        rows=records.rows,
        skipped=list(records.skipped),
        notices=list(records.notices) + _synonyms(records, crosswalk),
    )
    await _EventsMerge(session, records, crosswalk, report).run()
    await _dataset(session, records, report, version, released)
    return report


def _people_of(record: EventRecord, people: dict[Mention, int]) -> list[tuple[str | None, int]]:
    """Who took part in a record's event, as (role, person), each person once."""
    seen: dict[int, str | None] = {}
    for mention in record.people:
        seen.setdefault(people[mention], mention.role)
    return [(role, pk) for pk, role in seen.items()]


class _EventsMerge:
    """Merges one travels, visits or rdcr release: its people, events and relations."""

    def __init__(
        self, session: AsyncSession, records: Records, crosswalk: Crosswalk, report: EventsReport
    ) -> None:
        self.session = session
        self.records = records
        self.crosswalk = crosswalk
        self.report = report
        self.dataset = DATASETS[records.dataset]
        # Its events go through their one writer, which keeps a faulty record and flags it;
        # what it writes besides (people, relations) is logged by the writers' code too.
        self.edit = Edit(session, ACTOR, ACTION, Policy.FLAG, live=False)

    def country(self, territory: str | None) -> int | None:
        code = None if not territory else self.crosswalk(territory)
        return None if code is None else self.countries[code]

    async def run(self) -> None:
        rows = await self.session.execute(select(models.Country.code, models.Country.id))
        self.countries: dict[str, int] = {code: pk for code, pk in rows}
        self.home = self.country(HOME)
        assert self.home is not None, "the crosswalk maps the United States"
        people = await self._people()
        pairs = {
            ordered(self.home, self.country(r.territory) or self.home) for r in self.records.records
        }
        pairs = {pair for pair in pairs if pair[0] != pair[1]}
        self.report.relations["created"] += await ensure_relations(self.session, pairs)
        await self._events(people)
        if self.records.dataset == rdcr.DATASET:
            await self._relation_facts()

    # -- people

    async def _people(self) -> dict[Mention, int]:
        """The person of each mention, through the people's writer: by pocom's id, else by
        name; made where missing (a person with an id is told apart by it where another has
        the name), and left as they are where found (a mention does not speak for them)."""
        mentions = list(dict.fromkeys(m for r in self.records.records for m in r.people))
        records = [
            PersonRecord(
                mention.name,
                self._code(mention.territory),
                historian_id=mention.historian_id,
                by_name=mention.historian_id is None,
                told_apart=f"{mention.name} ({mention.historian_id})",
                mention=True,
            )
            for mention in mentions
        ]
        written = await write_people(self.edit, records)
        if written.created:
            self.report.people["created"] += written.created
        self.report.people["found"] += len(set(written.ids)) - written.created
        return dict(zip(mentions, written.ids, strict=True))

    # -- events

    def _source(self, record: EventRecord) -> SourceSpec:
        """The source of a record: the dataset's title, the record's id, its page."""
        return SourceSpec(f"{PUBLISHER}: {self.dataset.title}", record.record_id, record.url)

    def _code(self, territory: str | None) -> str | None:
        return None if not territory else self.crosswalk(territory)

    def _event(self, record: EventRecord, people: dict[Mention, int]) -> NewEvent:
        """A record as the events' writer takes it: between the US and the record's country,
        its people taking part as its source says."""
        source = self._source(record)
        return NewEvent(
            title=record.title[:500],
            kind=record.kind,
            date=record.date,
            end_date=record.end_date,
            summary=record.summary,
            sources=[source],
            place_name=record.place_name,
            place_country=self._code(record.place_territory),
            countries=[c for c in (self._code(HOME), self._code(record.territory)) if c],
            participants=[
                ParticipantSpec(("person", pk), role, source)
                for role, pk in _people_of(record, people)
            ],
            visit_type=record.visit_type,
            key=record.record_id,
        )

    async def _events(self, people: dict[Mention, int]) -> None:
        """Write each record's event through the events' writer (keyed by the record's id in
        its dataset), and count what became of each."""
        R = models.Record
        dataset = self.records.dataset
        keys = set(
            await self.session.scalars(select(R.key).where(R.origin == dataset, R.kind == "event"))
        )
        records = list({record.record_id: record for record in self.records.records}.values())
        self.report.absent = len(keys - {record.record_id for record in records})
        written = await write_events(
            self.edit, [self._event(record, people) for record in records], dataset
        )
        for index, problem in self.edit.flagged:
            record = records[index]
            self.report.notices.append(Skip(record.path, record.record_id, problem.message))
        self.report.created += written.created
        self.report.updated += written.updated
        self.report.unchanged += written.unchanged

    # -- what rdcr says of relations

    async def _relation_facts(self) -> None:
        """Each US relation's establishment (the first) and status (the last step), as rdcr says."""
        R = models.Relation
        sources = {
            record.record_id: (await self.edit.sources([self._source(record)], ("sources",)))[0]
            for record in self.records.records
        }
        steps: dict[tuple[int, int], list[EventRecord]] = defaultdict(list)
        for record in self.records.records:
            country = self.country(record.territory)
            assert country is not None and self.home is not None
            if country != self.home and (record.establishes or record.status is not None):
                steps[ordered(self.home, country)].append(record)
        relations = {
            (r.country_a_id, r.country_b_id): r
            for r in await self.session.scalars(
                select(R).where((R.country_a_id == self.home) | (R.country_b_id == self.home))
            )
        }
        cited = []
        logged = Batch(self.edit, "relation", None)  # the change log shows each as it was and is
        await logged.existing([relations[pair].id for pair in steps])
        for pair, entries in steps.items():
            relation = relations[pair]
            entries.sort(key=lambda record: record.date)
            first = next((e for e in entries if e.establishes), None)
            last = next((e for e in reversed(entries) if e.status is not None), None)
            values: dict[str, Any] = {
                "established": relation.established,
                "status": None if last is None else last.status,
                "status_since": None if last is None else last.date,
            }
            if first is not None and relation.established != first.date:
                if relation.established is None or await self._cites_rdcr(relation.id):
                    values["established"] = first.date
                else:
                    self.report.notices.append(
                        Skip(
                            first.path,
                            first.record_id,
                            f"relations established {first.date} by rdcr; another source says {relation.established}: kept",
                        )
                    )
            before = {key: getattr(relation, key) for key in values}
            for entry in filter(None, (first, last)):
                cited.append((relation.id, sources[entry.record_id]))
            if before == values:
                self.report.relations["unchanged"] += 1
                continue
            for key, value in values.items():
                setattr(relation, key, value)
            self.report.relations["updated"] += 1
        await self.session.flush()
        link = models.relation_source
        have = set((await self.session.execute(select(link.c.relation_id, link.c.source_id))).all())
        missing = [
            {"relation_id": r, "source_id": s}
            for r, s in dict.fromkeys(cited)
            if (r, s) not in have
        ]
        if missing:
            await self.session.execute(insert(link), missing)
        await logged.finish([], [])

    async def _cites_rdcr(self, relation_id: int) -> bool:
        link, S = models.relation_source, models.Source
        found = await self.session.scalar(
            select(S.id)
            .join(link, link.c.source_id == S.id)
            .where(link.c.relation_id == relation_id, S.title == f"{PUBLISHER}: {rdcr.TITLE}")
            .limit(1)
        )
        return found is not None


async def _dataset(
    session: AsyncSession,
    records: Records,
    report: EventsReport,
    version: str | None,
    released: Any,
) -> None:
    D = models.Dataset
    dataset = DATASETS[records.dataset]
    values = {
        "title": dataset.title,
        "publisher": PUBLISHER,
        "url": dataset.repository,
        "licence": LICENCE,
        "version": version,
        "released": released,
        "cutoff": records.cutoff,
        "counts": {
            "records": records.rows,
            "events": len(records.records),
            "skipped": len(report.skipped),
        },
    }
    found = await session.scalar(select(D).where(D.name == records.dataset))
    if found is None:
        await session.execute(insert(table_of(D)).values(name=records.dataset, **values))
    else:
        for key, value in values.items():
            setattr(found, key, value)


async def import_events(session: AsyncSession, archive: Archive) -> EventsReport:
    """`bilateral import` of a travels, visits or rdcr archive into the session's transaction;
    RecordsError, an ArchiveError (nothing written), where the release cannot be imported."""
    return await merge_events(session, read_records(archive), country_of, archive.commit)


async def load_shipped_events(session: AsyncSession) -> list[EventsReport]:
    """The three archives the project ships, imported in order (rdcr last: it speaks of the
    relations the others made), as the first start loads them."""
    reports = []
    for dataset in (travels.DATASET, visits.DATASET, rdcr.DATASET):
        reports.append(await import_events(session, open_archive(shipped(dataset))))
    return reports
