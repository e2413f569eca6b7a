"""Events, their participants, quotes and figures, and the event filter and order."""

from collections.abc import Sequence
from typing import Annotated

import strawberry
from strawberry.dataloader import DataLoader

from db import models, orders
from db.pages import Page
from db.partial_date import PartialDate
from db.queries import EventCriteria
from schema import criteria
from schema.columns import column, from_columns
from schema.compiled import fields
from schema.connection import Connection, PageArguments, nodes_from
from schema.context import Info
from schema.enums import EventKind, EventOrderField, OrderDirection, VisitType
from schema.ids import encode_id
from schema.loaders import PageArgs
from schema.relations import children, cited, compiled_as, linked, reference
from schema.types.country import Country
from schema.types.mission import Mission, load_country
from schema.types.node import Node, Source
from schema.types.organization import Organization
from schema.types.person import Person
from schema.types.quality import QualityIssue

Participant = Annotated[
    Country | Person | Organization | Mission,
    strawberry.union(
        "Participant",
        description="A country, person, organization or post taking part in an event.",
    ),
]


@strawberry.type(
    description="A measured quantity stated by a source: 65718 tonne, 306000000 MYR, rank 11."
)
class Figure:
    label: str = column("label", description="What the figure measures.")
    value: float = column("value", description="The number, in `unit`.")
    unit: str = column(
        "unit",
        description="UCUM unit or ISO 4217 currency code: t, MYR, EUR, USD, 1 (a plain count or rank).",
    )

    @classmethod
    def from_row(cls, row: models.Figure) -> "Figure":
        return from_columns(cls, row)


@strawberry.type(description="A place where an event happened.")
class Place:
    name: str = strawberry.field(description="The place's name: a city, a building, a country.")
    country_id: strawberry.Private[int | None]

    @strawberry.field(description="The country the place is in, where known.")
    async def country(self, info: Info) -> Country | None:
        return None if self.country_id is None else await load_country(info, self.country_id)


@strawberry.type(description="Words a person is quoted as saying, verbatim.")
class Quote:
    row: strawberry.Private[models.Quote]
    text: str = column("text", description="The words, exactly as the source quotes them.")
    date: PartialDate | None = column("date", description="When the words were said, where known.")

    @classmethod
    def from_row(cls, row: models.Quote) -> "Quote":
        return from_columns(cls, row, row=row)

    speaker: Person = reference(models.Quote.speaker_id, description="The person quoted.")
    event: "Event | None" = reference(
        models.Quote.event_id, description="The event the words were said at, if any."
    )


@strawberry.type(description="How one participant took part in one event.")
class Participation:
    row: strawberry.Private[models.Participation]
    role: str | None = column(
        "role", description="visitor, host, investor, head of delegation, signatory, speaker, ..."
    )

    @classmethod
    def from_row(cls, row: models.Participation) -> "Participation":
        return from_columns(cls, row, row=row)

    @strawberry.field(
        description="Who or what took part.", metadata=compiled_as(fields.participant)
    )
    async def participant(self, info: Info) -> Participant:
        loaders, row = info.context.loaders, self.row
        if row.country_id is not None:
            return await load_country(info, row.country_id)
        if row.person_id is not None:
            person = await loaders.person.load(row.person_id)
            assert person is not None
            return Person.from_row(person)
        if row.organization_id is not None:
            organization = await loaders.organization.load(row.organization_id)
            assert organization is not None
            return Organization.from_row(organization)
        assert row.mission_id is not None
        mission = await loaders.mission.load(row.mission_id)
        assert mission is not None
        return Mission.from_row(mission)

    event: "Event" = reference(
        models.Participation.event_id, description="The event taken part in."
    )


@strawberry.type(
    description="Something that happened between countries, on a date known to some precision."
)
class Event(Node):
    row: strawberry.Private[models.Event]
    title: str = column("title", description="A short title for the event.")
    kind: EventKind = column("kind", description="The field the event belongs to.")
    date: PartialDate = column("date", description="When the event happened, or began.")
    end_date: PartialDate | None = column(
        "end_date",
        description="When an event of several days ended; null for a one-day or undated-end event.",
    )
    summary: str = column("summary", description="What happened, in a few sentences.")
    version: int = column("version", description="Increases by one with every write to the event.")
    visit_type: VisitType | None = column(
        "visit_type",
        description="A visit's or trip's protocol form (state, official, working, private, …) where its source names one.",
    )
    dataset: str | None = column(
        "dataset",
        description="The dataset the event was imported from (travels, visits, rdcr); null for an event written here.",
    )
    record_id: str | None = column(
        "record_id",
        description="The record's id in that dataset (a trip's or visit's id; an rdcr entry's article and heading hash).",
    )

    @classmethod
    def from_row(cls, row: models.Event) -> "Event":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Event", row.id)), row=row)

    @strawberry.field(
        description="Where the event happened, where known.", metadata=compiled_as(fields.place)
    )
    def place(self) -> Place | None:
        if self.row.place_name is None:
            return None
        return Place(name=self.row.place_name, country_id=self.row.place_country_id)

    @strawberry.field(
        description="Who took part and how, optionally with one role only.",
        metadata=compiled_as(fields.participants),
    )
    async def participants(
        self,
        info: Info,
        role: Annotated[
            str | None,
            strawberry.argument(description="Only participants with this role (any case)."),
        ] = None,
    ) -> list[Participation]:
        loader = info.context.loaders.rows_by(models.Participation.event_id, orders.by_id)
        rows = await loader.load(self.row.id)
        wanted = role.casefold() if role is not None else None
        return [
            Participation.from_row(row)
            for row in rows
            if wanted is None or row.role_folded == wanted
        ]

    countries: list[Country] = linked(
        models.event_country,
        "event_id",
        "country_id",
        order=orders.by_code,
        description="Every country the event involves, directly or through its participants.",
    )
    quotes: list[Quote] = children(
        models.Quote.event_id,
        order=orders.by_id,
        description="What participants are quoted as saying at the event.",
    )
    figures: list[Figure] = children(
        models.Figure.event_id,
        order=orders.by_id,
        description="The quantities the sources state about the event.",
    )
    sources: list[Source] = cited(
        models.event_source, description="The sources that report the event."
    )

    @strawberry.field(description="Data-quality issues about this event.")
    async def quality_issues(self, info: Info) -> list[QualityIssue]:
        return QualityIssue.listed(await info.context.loaders.issues_of_event.load(self.row.id))


@strawberry.type(description="A page of events.")
class EventConnection(Connection[Event]):
    pass


@strawberry.type(description="A page of participations in events.")
class ParticipationConnection(Connection[Participation]):
    pass


@strawberry.input(description="Conditions an event must meet; all given conditions apply.")
class EventFilter:
    countries: list[str] | None = strawberry.field(
        default=None, description="ISO codes; an event must involve all of them."
    )
    kinds: list[EventKind] | None = strawberry.field(
        default=None, description="An event must be of one of these kinds."
    )
    from_: PartialDate | None = strawberry.field(
        default=None,
        name="from",
        description="An event must not end before the start of this period.",
    )
    to: PartialDate | None = strawberry.field(
        default=None, description="An event must not begin after the end of this period."
    )
    participant: strawberry.ID | None = strawberry.field(
        default=None,
        description="Global ID of a participant (country, person, organization or post).",
    )
    text: str | None = strawberry.field(
        default=None, description="Words that must appear in the title or summary."
    )


@strawberry.input(description="An order for events.")
class EventOrder:
    field: EventOrderField = strawberry.field(description="What to order by.")
    direction: OrderDirection = strawberry.field(description="Which way.")


async def country_pks(info: Info, codes: Sequence[str], argument: str) -> list[int]:
    """The row ids of countries given by ISO code; a GraphQL error naming any unknown code."""
    rows = await info.context.loaders.country_by_code.load_many(
        criteria.country_codes(codes, argument)
    )
    return [row.id for row in rows if row is not None]


def event_criteria(event_filter: EventFilter | None) -> EventCriteria:
    """The filter's conditions, checked, in the data layer's terms."""
    if event_filter is None:
        return EventCriteria()
    return criteria.event_criteria(
        countries=event_filter.countries,
        kinds=event_filter.kinds,
        start=event_filter.from_,
        end=event_filter.to,
        participant=event_filter.participant,
        text=event_filter.text,
    )


def is_descending(order: EventOrder | None) -> bool:
    return order is not None and order.direction == OrderDirection.DESC


async def nested_event_connection(
    info: Info,
    parent: int,
    page_loader: DataLoader[tuple[int, PageArgs], Page],
    count_loader: DataLoader[tuple[int, EventCriteria], int],
    arguments: PageArguments,
    event_filter: EventFilter | None,
    order: EventOrder | None,
) -> EventConnection:
    """A page of one parent's events, batched with the same page of its siblings."""
    name = "events-desc" if is_descending(order) else "events"
    window = arguments.window(name, 2)
    criteria = event_criteria(event_filter)
    page = await page_loader.load((parent, PageArgs(window, is_descending(order), criteria)))

    async def total() -> int:
        return await count_loader.load((parent, criteria))

    nodes = nodes_from(info.context.loaders.event, Event.from_row)
    return EventConnection(page=page, name=name, load_nodes=nodes, load_total=total)


async def participation_connection(
    info: Info,
    parent: int,
    page_loader: DataLoader[tuple[int, PageArgs], Page],
    count_loader: DataLoader[tuple[int, None], int],
    arguments: PageArguments,
) -> ParticipationConnection:
    """A page of one person's or organization's participations, oldest event first."""
    page = await page_loader.load((parent, PageArgs(arguments.window("participations", 2))))

    async def total() -> int:
        return await count_loader.load((parent, None))

    return ParticipationConnection(
        page=page,
        name="participations",
        load_nodes=nodes_from(info.context.loaders.participation, Participation.from_row),
        load_total=total,
    )
