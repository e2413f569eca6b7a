"""Importing events from the Office of the Historian's travels, visits and rdcr, in one
transaction each.

An event is found again by its dataset and record id (`Event.dataset`, `Event.recordId`), so
importing a release twice changes nothing and a newer release updates what changed; an event
a newer release no longer has is kept (the report counts it). Every event cites its record:
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
from enum import Enum
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.involvement import refresh_event_countries
from db.relation_links import ensure_relations, ordered
from db.search import reindex
from db.writes.changes import Logged, log_changes, snapshots
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
    await _Merge(session, records, crosswalk, report).run()
    await _dataset(session, records, report, version, released)
    return report


def _people_of(record: EventRecord, people: dict[Mention, int]) -> list[tuple[str | None, int]]:
    """Who took part in a record's event, as (role, person), each person once."""
    seen: dict[int, str | None] = {}
    for mention in record.people:
        seen.setdefault(people[mention], mention.role)
    return [(role, pk) for pk, role in seen.items()]


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return value.name if isinstance(value, Enum) else str(value)


class _Merge:
    def __init__(
        self, session: AsyncSession, records: Records, crosswalk: Crosswalk, report: EventsReport
    ) -> None:
        self.session = session
        self.records = records
        self.crosswalk = crosswalk
        self.report = report
        self.dataset = DATASETS[records.dataset]
        self.changes: list[Logged] = []

    def country(self, territory: str | None) -> int | None:
        code = None if not territory else self.crosswalk(territory)
        return None if code is None else self.countries[code]

    def log(self, kind: str, pk: int, before: Any, after: Any) -> None:
        self.changes.append(Logged(kind, pk, before, after))

    async def run(self) -> None:
        rows = await self.session.execute(select(models.Country.code, models.Country.id))
        self.countries: dict[str, int] = {code: pk for code, pk in rows}
        self.home = self.country(HOME)
        assert self.home is not None, "the crosswalk maps the United States"
        people = await self._people()
        sources = await self._sources()
        touched = await self._events(people, sources)
        await refresh_event_countries(self.session, touched)
        await reindex(self.session, "event", touched)
        pairs = {
            ordered(self.home, self.country(r.territory) or self.home) for r in self.records.records
        }
        pairs = {pair for pair in pairs if pair[0] != pair[1]}
        self.report.relations["created"] += await ensure_relations(self.session, pairs)
        if self.records.dataset == rdcr.DATASET:
            await self._relation_facts(sources)
        # An import runs in its own process: nobody here to announce its changes to.
        await log_changes(self.session, ACTOR, ACTION, self.changes, here=False)

    # -- people

    async def _people(self) -> dict[Mention, int]:
        """The person of each mention: by pocom's id, else by name; made where missing."""
        P = models.Person
        mentions = list(dict.fromkeys(m for r in self.records.records for m in r.people))
        rows = await self.session.execute(select(P.historian_id, P.name, P.id))
        by_id: dict[str, int] = {}
        by_name: dict[str, int] = {}
        for historian_id, name, pk in rows:
            if historian_id is not None:
                by_id[historian_id] = pk
            by_name[name] = pk
        new: dict[str, dict[str, Any]] = {}  # by the name it is made with
        key_of: dict[Mention, str] = {}
        for mention in mentions:
            if mention.historian_id is not None and mention.historian_id in by_id:
                continue
            if mention.historian_id is None and mention.name in by_name:
                continue
            name = mention.name
            if mention.historian_id is not None:
                twin = next(
                    (n for n, v in new.items() if v["historian_id"] == mention.historian_id), None
                )
                if twin is not None:
                    key_of[mention] = twin
                    continue
                if name in by_name or name in new:
                    name = f"{name} ({mention.historian_id})"
            elif name in new:
                key_of[mention] = name
                continue
            key_of[mention] = name
            new[name] = {
                "name": name,
                "historian_id": mention.historian_id,
                "country_id": self.country(mention.territory),
            }
        if new:
            await self.session.execute(insert(table_of(P)), list(new.values()))
            made = await self.session.execute(select(P.name, P.id).where(P.name.in_(list(new))))
            made_ids: dict[str, int] = {made_name: pk for made_name, pk in made}
            await reindex(self.session, "person", list(made_ids.values()))
            for name, values in new.items():
                self.log(
                    "person",
                    made_ids[name],
                    None,
                    {k: v for k, v in values.items() if k != "country_id"},
                )
                if values["historian_id"] is not None:
                    by_id[values["historian_id"]] = made_ids[name]
                else:
                    by_name[name] = made_ids[name]
            self.report.people["created"] += len(new)
        found: dict[Mention, int] = {}
        for mention in mentions:
            if mention.historian_id is not None:
                found[mention] = by_id[mention.historian_id]
            else:
                found[mention] = by_name[key_of.get(mention, mention.name)]
        self.report.people["found"] += (
            len({pk for pk in found.values()}) - self.report.people["created"]
        )
        return found

    # -- sources

    async def _sources(self) -> dict[str, int]:
        """The source of each record (section: its id; url: its page), by record id."""
        S = models.Source
        title = f"{PUBLISHER}: {self.dataset.title}"
        rows = await self.session.execute(select(S.section, S.url, S.id).where(S.title == title))
        known = {(section, url): pk for section, url, pk in rows}
        missing = [
            {"title": title, "section": r.record_id, "url": r.url}
            for r in self.records.records
            if (r.record_id, r.url) not in known
        ]
        if missing:
            await self.session.execute(insert(table_of(S)), missing)
            rows = await self.session.execute(
                select(S.section, S.url, S.id).where(S.title == title)
            )
            known = {(section, url): pk for section, url, pk in rows}
        return {r.record_id: known[(r.record_id, r.url)] for r in self.records.records}

    # -- events

    def _values(self, record: EventRecord) -> dict[str, Any]:
        return {
            "title": record.title[:500],
            "kind": record.kind,
            "date": record.date,
            "end_date": record.end_date,
            "place_name": record.place_name,
            "place_country_id": self.country(record.place_territory),
            "summary": record.summary,
            "visit_type": record.visit_type,
        }

    def _participants(
        self, record: EventRecord, event_id: int, people: dict[Mention, int], source_id: int
    ) -> list[dict[str, Any]]:
        return [
            {
                "event_id": event_id,
                "role": role,
                "role_folded": None if role is None else role.casefold(),
                "person_id": pk,
                "country_id": None,
                "organization_id": None,
                "mission_id": None,
                "source_id": source_id,
            }
            for role, pk in _people_of(record, people)
        ]

    async def _events(self, people: dict[Mention, int], sources: dict[str, int]) -> list[int]:
        """Create, update or keep each record's event; the ids of those written."""
        E = models.Event
        existing = {
            event.record_id: event
            for event in await self.session.scalars(
                select(E).where(E.dataset == self.records.dataset)
            )
        }
        records = {record.record_id: record for record in self.records.records}
        stored = await self._stored_participants()
        declared = await self._stored_links(table_of(models.EventCountryDeclared), "country_id")
        cited = await self._stored_links(models.event_source, "source_id")
        self.report.absent = len(set(existing) - set(records))
        new = []
        touched: list[int] = []
        for record in records.values():
            values = self._values(record)
            event = existing.get(record.record_id)
            if event is None:
                new.append(
                    {
                        **values,
                        "dataset": record.dataset,
                        "record_id": record.record_id,
                        "version": 1,
                    }
                )
                continue
            before = {key: getattr(event, key) for key in values}
            if (
                before == values
                and _people_of(record, people) == stored.get(event.id, [])
                and self._countries_of(record) == declared.get(event.id, set())
                and sources[record.record_id] in cited.get(event.id, set())
            ):
                self.report.unchanged += 1
                continue
            for key, value in values.items():
                setattr(event, key, value)
            event.version += 1
            # What the record gives is written anew: its people, countries and source.
            for table, column in (
                (table_of(models.Participation), "event_id"),
                (table_of(models.EventCountryDeclared), "event_id"),
                (models.event_source, "event_id"),
            ):
                await self.session.execute(delete(table).where(table.c[column] == event.id))
            touched.append(event.id)
            self.log(
                "event",
                event.id,
                {k: _plain(v) for k, v in before.items()},
                {k: _plain(v) for k, v in values.items()},
            )
            self.report.updated += 1
        await self.session.flush()
        if new:
            await self.session.execute(insert(table_of(E)), new)
            self.report.created += len(new)
        rows = await self.session.execute(
            select(E.record_id, E.id).where(E.dataset == self.records.dataset)
        )
        ids: dict[str, int] = dict(rows.all())  # type: ignore[arg-type]
        created = [ids[row["record_id"]] for row in new]
        for row in new:
            self.log(
                "event",
                ids[row["record_id"]],
                None,
                {k: _plain(v) for k, v in row.items() if k != "version"},
            )
        written = set(created) | set(touched)
        participations = []
        countries = []
        citations = []
        for record in records.values():
            pk = ids[record.record_id]
            if pk not in written:
                continue
            participations += self._participants(record, pk, people, sources[record.record_id])
            for country in sorted(self._countries_of(record)):
                countries.append({"event_id": pk, "country_id": country})
            citations.append({"event_id": pk, "source_id": sources[record.record_id]})
        if participations:
            await self.session.execute(insert(table_of(models.Participation)), participations)
        if countries:
            await self.session.execute(insert(table_of(models.EventCountryDeclared)), countries)
        if citations:
            await self.session.execute(insert(models.event_source), citations)
        return sorted(written)

    def _countries_of(self, record: EventRecord) -> set[int]:
        """The countries a record's event is between: the US and the record's country."""
        return {pk for pk in (self.home, self.country(record.territory)) if pk is not None}

    async def _stored_links(self, table: Any, column: str) -> dict[int, set[int]]:
        """The rows each of the dataset's events has in a link table (its countries, its
        sources), by the link's other column."""
        E = models.Event
        rows = await self.session.execute(
            select(table.c.event_id, table.c[column])
            .join(E, E.id == table.c.event_id)
            .where(E.dataset == self.records.dataset)
        )
        found: dict[int, set[int]] = defaultdict(set)
        for event_id, linked in rows:
            found[event_id].add(linked)
        return found

    async def _stored_participants(self) -> dict[int, list[tuple[str | None, int]]]:
        """The people who took part in each of the dataset's events, as (role, person), in order."""
        P, E = models.Participation, models.Event
        rows = await self.session.execute(
            select(P.event_id, P.role, P.person_id)
            .join(E, E.id == P.event_id)
            .where(E.dataset == self.records.dataset, P.person_id.is_not(None))
            .order_by(P.id)
        )
        stored: dict[int, list[tuple[str | None, int]]] = defaultdict(list)
        for event_id, role, pk in rows:
            assert pk is not None
            stored[event_id].append((role, pk))
        return stored

    # -- what rdcr says of relations

    async def _relation_facts(self, sources: dict[str, int]) -> None:
        """Each US relation's establishment (the first) and status (the last step), as rdcr says."""
        R = models.Relation
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
        updated: list[int] = []
        was = await snapshots(self.session, "relation", [relations[pair].id for pair in steps])
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
            updated.append(relation.id)
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
        now = await snapshots(self.session, "relation", updated)
        for pk in updated:
            self.log("relation", pk, was[pk], now[pk])

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
