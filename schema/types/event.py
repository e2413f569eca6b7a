"""Events, their participants, quotes and figures, and the event filter and order."""

from collections.abc import Sequence
from typing import Annotated

import strawberry

from db import models, orders
from db.partial_date import PartialDate
from db.queries import EventCriteria
from schema import criteria
from schema.columns import column, from_columns
from schema.connection import Connection
from schema.context import Info
from schema.enums import EventKind, EventOrderField, OrderDirection, VisitType
from schema.ids import encode_id
from schema.linked_fields import Only, children, cited, either, embedded, linked, reference
from schema.types.country import Country
from schema.types.mission import Mission
from schema.types.node import Node, Source
from schema.types.organization import Organization
from schema.types.person import Person
from schema.types.quality import QualityIssue

# The `role` argument of an event's participants.
RoleFilter = Annotated[
    str | None, strawberry.argument(description="Only participants with this role (any case).")
]

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
    row: strawberry.Private[models.Event]
    name: str = column("place_name", description="The place's name: a city, a building, a country.")
    country: Country | None = reference(
        models.Event.place_country_id, description="The country the place is in, where known."
    )


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

    event: "Event" = reference(
        models.Participation.event_id, description="The event taken part in."
    )

    participant: Participant = either(
        models.Participation.country_id,
        models.Participation.person_id,
        models.Participation.organization_id,
        models.Participation.mission_id,
        description="Who or what took part.",
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

    place: Place | None = embedded(
        "place_name", description="Where the event happened, where known."
    )
    participants: list[Participation] = children(
        models.Participation.event_id,
        order=orders.by_id,
        # Folded once here, as each stored role was when it was written (db.models.event).
        only=Only(models.Participation.role_folded, "role", RoleFilter, fold=str.casefold),
        description="Who took part and how, optionally with one role only.",
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
