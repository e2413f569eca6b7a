"""Writing a checked seed document into the database, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.base import Base
from db.countries import iso_countries
from db.involvement import refresh_event_countries
from db.search import rebuild_search_index
from seed.document import DocumentSource, EventEntry, MissionEntry, SeedDocument, read_document

ARTICLE = Path(__file__).parent / "data" / "belgium-malaysia.yaml"

# Fact tables, children first, so that deleting in this order never breaks a foreign key.
_FACT_TABLES: list[Table] = [
    models.event_country,
    models.event_source,
    models.EventCountryDeclared.__table__,  # type: ignore[list-item]
    models.Figure.__table__,  # type: ignore[list-item]
    models.Quote.__table__,  # type: ignore[list-item]
    models.Participation.__table__,  # type: ignore[list-item]
    models.Event.__table__,  # type: ignore[list-item]
    models.relation_source,
    models.relation_organization,
    models.Relation.__table__,  # type: ignore[list-item]
    models.head_of_mission_source,
    models.HeadOfMission.__table__,  # type: ignore[list-item]
    models.Accreditation.__table__,  # type: ignore[list-item]
    models.MissionAddress.__table__,  # type: ignore[list-item]
    models.mission_source,
    models.Mission.__table__,  # type: ignore[list-item]
    models.Position.__table__,  # type: ignore[list-item]
    models.Person.__table__,  # type: ignore[list-item]
    models.Organization.__table__,  # type: ignore[list-item]
    models.Source.__table__,  # type: ignore[list-item]
]


@dataclass(frozen=True)
class LoadReport:
    """How many rows of each main kind a load wrote."""

    organizations: int
    people: int
    missions: int
    events: int

    def __str__(self) -> str:
        return (
            f"{self.organizations} organizations, {self.people} people,"
            f" {self.missions} missions, {self.events} events"
        )


async def ensure_countries(session: AsyncSession) -> None:
    """Add every ISO 3166-1 country the database does not have yet."""
    known = set(await session.scalars(select(models.Country.code)))
    missing = [country for country in iso_countries() if country.code not in known]
    if missing:
        await session.execute(
            insert(models.Country),
            [{"code": c.code, "alpha3": c.alpha3, "name": c.name} for c in missing],
        )


async def has_facts(session: AsyncSession) -> bool:
    """Whether anything beyond the country list has been loaded."""
    return bool(await session.scalar(select(func.count()).select_from(models.Source)))


async def clear_facts(session: AsyncSession) -> None:
    """Delete every fact, keeping the country list."""
    for table in _FACT_TABLES:
        await session.execute(delete(table))


async def seed_database(
    sessions: async_sessionmaker[AsyncSession], path: Path = ARTICLE, *, reset: bool = False
) -> LoadReport | None:
    """Load a seed file; None when facts are present and `reset` is not asked for.

    The file is read and checked in full before the database is touched, and the
    load runs in one transaction, so a bad file or a failure changes nothing.
    """
    document = read_document(path)
    async with sessions() as session, session.begin():
        await ensure_countries(session)
        if await has_facts(session):
            if not reset:
                return None
            await clear_facts(session)
        report = await _Loader(session, document).load()
        await rebuild_search_index(session)
    return report


class _Loader:
    """Inserts one document's entries, remembering the ids it gives each name."""

    def __init__(self, session: AsyncSession, document: SeedDocument) -> None:
        self.session = session
        self.document = document
        self.countries: dict[str, int] = {}
        self.organizations: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.missions: dict[str, int] = {}
        self.sources: dict[str | None, int] = {}

    async def load(self) -> LoadReport:
        rows = await self.session.execute(select(models.Country.code, models.Country.id))
        self.countries = {code: id_ for code, id_ in rows}
        document = self.document
        for organization in document.organizations:
            self.organizations[organization.name] = await self._add(
                models.Organization(
                    name=organization.name,
                    kind=organization.kind,
                    country_id=self._country(organization.country),
                    founded=organization.founded,
                    source_id=await self._source(organization.section),
                )
            )
        for person in document.people:
            self.people[person.name] = await self._add(
                models.Person(
                    name=person.name,
                    country_id=self._country(person.country),
                    source_id=await self._source(person.section),
                )
            )
            for position in person.positions:
                await self._add(
                    models.Position(
                        person_id=self.people[person.name],
                        title=position.title,
                        country_id=self._country(position.country),
                        organization_id=self._organization(position.organization),
                        start=position.start,
                        end=position.end,
                        held_on=position.held_on,
                        source_id=await self._source(position.section),
                    )
                )
        for mission in document.missions:
            await self._load_mission(mission)
        for relation in document.relations:
            first, second = sorted(self.countries[code] for code in relation.countries)
            relation_id = await self._add(
                models.Relation(
                    country_a_id=first, country_b_id=second, established=relation.established
                )
            )
            await self._link(
                models.relation_source, relation_id, await self._source(relation.section)
            )
            for name in relation.organizations:
                await self.session.execute(
                    insert(models.relation_organization).values(
                        relation_id=relation_id, organization_id=self.organizations[name]
                    )
                )
        event_ids = [await self._load_event(event) for event in document.events]
        await refresh_event_countries(self.session, event_ids)
        return LoadReport(
            organizations=len(document.organizations),
            people=len(document.people),
            missions=len(document.missions),
            events=len(event_ids),
        )

    async def _add(self, row: Base) -> int:
        self.session.add(row)
        await self.session.flush()
        return row.id  # type: ignore[attr-defined, no-any-return]

    def _country(self, code: str | None) -> int | None:
        return None if code is None else self.countries[code]

    def _organization(self, name: str | None) -> int | None:
        return None if name is None else self.organizations[name]

    async def _source(self, section: str | None) -> int:
        """The id of the document's source row for this section, added on first use."""
        if section not in self.sources:
            source: DocumentSource = self.document.source
            self.sources[section] = await self._add(
                models.Source(title=source.title, section=section, url=source.url)
            )
        return self.sources[section]

    async def _link(self, table: Table, subject_id: int, source_id: int) -> None:
        subject = table.name.removesuffix("_source")
        await self.session.execute(
            insert(table).values({f"{subject}_id": subject_id, "source_id": source_id})
        )

    async def _load_mission(self, mission: MissionEntry) -> None:
        mission_id = await self._add(
            models.Mission(
                kind=mission.kind,
                name=mission.name,
                country_id=self.countries[mission.country],
                host_country_id=self.countries[mission.host],
                city=mission.city,
                opened=mission.opened,
                closed=mission.closed,
            )
        )
        self.missions[mission.name] = mission_id
        await self._link(models.mission_source, mission_id, await self._source(mission.section))
        for address in mission.addresses:
            await self._add(
                models.MissionAddress(
                    mission_id=mission_id,
                    address=address.address,
                    city=address.city,
                    start=address.start,
                    end=address.end,
                    source_id=await self._source(address.section),
                )
            )
        # A post is accredited to its host country from its opening, whether or not the file says so.
        if all(item.country != mission.host for item in mission.accreditations):
            await self._add(
                models.Accreditation(
                    mission_id=mission_id,
                    country_id=self.countries[mission.host],
                    start=mission.opened,
                    source_id=await self._source(mission.section),
                )
            )
        for accreditation in mission.accreditations:
            await self._add(
                models.Accreditation(
                    mission_id=mission_id,
                    country_id=self._country(accreditation.country),
                    organization_id=self._organization(accreditation.organization),
                    start=accreditation.start,
                    end=accreditation.end,
                    source_id=await self._source(accreditation.section),
                )
            )
        for head in mission.heads:
            head_id = await self._add(
                models.HeadOfMission(
                    mission_id=mission_id,
                    person_id=self.people[head.person],
                    title=head.title,
                    ordinal=head.ordinal,
                    start=head.start,
                    end=head.end,
                    ongoing=head.ongoing,
                    held_on=head.held_on,
                )
            )
            await self._link(
                models.head_of_mission_source, head_id, await self._source(head.section)
            )

    async def _load_event(self, event: EventEntry) -> int:
        source_id = await self._source(event.section)
        event_id = await self._add(
            models.Event(
                title=event.title,
                kind=event.kind,
                date=event.date,
                end_date=event.end_date,
                place_name=event.place_name,
                place_country_id=self._country(event.place_country),
                summary=event.summary,
            )
        )
        await self._link(models.event_source, event_id, source_id)
        for code in event.countries:
            self.session.add(
                models.EventCountryDeclared(event_id=event_id, country_id=self.countries[code])
            )
        targets = {
            "country": self.countries,
            "person": self.people,
            "organization": self.organizations,
            "mission": self.missions,
        }
        for participant in event.participants:
            await self._add(
                models.Participation(
                    event_id=event_id,
                    role=participant.role,
                    source_id=source_id,
                    **{f"{participant.kind}_id": targets[participant.kind][participant.ref]},
                )
            )
        for quote in event.quotes:
            await self._add(
                models.Quote(
                    text=quote.text,
                    speaker_id=self.people[quote.speaker],
                    date=quote.date or event.date,
                    event_id=event_id,
                    source_id=source_id,
                )
            )
        for figure in event.figures:
            await self._add(
                models.Figure(
                    event_id=event_id,
                    label=figure.label,
                    value=figure.value,
                    unit=figure.unit,
                    source_id=source_id,
                )
            )
        return event_id
