"""Events, their participants, quotes and figures, and the event filter and order."""

from collections.abc import Sequence
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.dataloader import DataLoader

from db import models
from db.countries import find_iso_country
from db.pages import Page
from db.partial_date import PartialDate
from db.queries import EventCriteria
from db.search import SearchTextError, match_query
from schema.columns import column, from_columns
from schema.connection import Connection, PageArguments, nodes_from
from schema.context import Info
from schema.enums import EventKind, EventOrderField, OrderDirection
from schema.ids import decode_id, encode_id
from schema.loaders import PageArgs
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

# The types a participant's global ID may name, with the Participation column each fills.
PARTICIPANT_TYPES = {
    "Country": "country",
    "Person": "person",
    "Organization": "organization",
    "Mission": "mission",
}


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

    @strawberry.field(description="The person quoted.")
    async def speaker(self, info: Info) -> Person:
        row = await info.context.loaders.person.load(self.row.speaker_id)
        assert row is not None
        return Person.from_row(row)

    @strawberry.field(description="The event the words were said at, if any.")
    async def event(self, info: Info) -> "Event | None":
        pk = self.row.event_id
        row = None if pk is None else await info.context.loaders.event.load(pk)
        return None if row is None else Event.from_row(row)


@strawberry.type(description="How one participant took part in one event.")
class Participation:
    row: strawberry.Private[models.Participation]
    role: str | None = column(
        "role", description="visitor, host, investor, head of delegation, signatory, speaker, ..."
    )

    @classmethod
    def from_row(cls, row: models.Participation) -> "Participation":
        return from_columns(cls, row, row=row)

    @strawberry.field(description="Who or what took part.")
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

    @strawberry.field(description="The event taken part in.")
    async def event(self, info: Info) -> "Event":
        row = await info.context.loaders.event.load(self.row.event_id)
        assert row is not None
        return Event.from_row(row)


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

    @classmethod
    def from_row(cls, row: models.Event) -> "Event":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Event", row.id)), row=row)

    @strawberry.field(description="Where the event happened, where known.")
    def place(self) -> Place | None:
        if self.row.place_name is None:
            return None
        return Place(name=self.row.place_name, country_id=self.row.place_country_id)

    @strawberry.field(description="Who took part and how, optionally with one role only.")
    async def participants(
        self,
        info: Info,
        role: Annotated[
            str | None,
            strawberry.argument(description="Only participants with this role (any case)."),
        ] = None,
    ) -> list[Participation]:
        rows = await info.context.loaders.participants.load(self.row.id)
        wanted = role.casefold() if role is not None else None
        return [
            Participation.from_row(row)
            for row in rows
            if wanted is None or (row.role or "").casefold() == wanted
        ]

    @strawberry.field(
        description="Every country the event involves, directly or through its participants."
    )
    async def countries(self, info: Info) -> list[Country]:
        rows = await info.context.loaders.event_countries.load(self.row.id)
        return [Country.from_row(row) for row in rows]

    @strawberry.field(description="What participants are quoted as saying at the event.")
    async def quotes(self, info: Info) -> list[Quote]:
        rows = await info.context.loaders.quotes_by_event.load(self.row.id)
        return [Quote.from_row(row) for row in rows]

    @strawberry.field(description="The quantities the sources state about the event.")
    async def figures(self, info: Info) -> list[Figure]:
        rows = await info.context.loaders.figures.load(self.row.id)
        return [from_columns(Figure, row) for row in rows]

    @strawberry.field(description="The sources that report the event.")
    async def sources(self, info: Info) -> list[Source]:
        return Source.from_rows(await info.context.loaders.sources_of_event.load(self.row.id))

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


def country_codes(codes: Sequence[str], argument: str) -> list[str]:
    """ISO codes as alpha-2, upper case; a GraphQL error naming any unknown code."""
    found = []
    for code in codes:
        country = find_iso_country(code)
        if country is None:
            raise GraphQLError(f"Argument '{argument}' has an unknown country code: {code[:20]!r}.")
        found.append(country.code)
    return found


async def country_pks(info: Info, codes: Sequence[str], argument: str) -> list[int]:
    """The row ids of countries given by ISO code; a GraphQL error naming any unknown code."""
    rows = await info.context.loaders.country_by_code.load_many(country_codes(codes, argument))
    return [row.id for row in rows if row is not None]


def event_criteria(event_filter: EventFilter | None) -> EventCriteria:
    """The filter's conditions, checked, in the data layer's terms."""
    if event_filter is None:
        return EventCriteria()
    participant = None
    if event_filter.participant is not None:
        type_name, pk = decode_id(event_filter.participant, "filter.participant")
        if type_name not in PARTICIPANT_TYPES:
            raise GraphQLError(
                f"Argument 'filter.participant' must be the ID of a country, person,"
                f" organization or post, not of a {type_name}."
            )
        participant = (PARTICIPANT_TYPES[type_name], pk)
    text_query = None
    if event_filter.text is not None and event_filter.text.strip():
        try:
            text_query = match_query(event_filter.text, prefix=False, columns=("name", "body"))
        except SearchTextError as error:
            raise GraphQLError(f"Argument 'filter.text' {error}.") from None
    return EventCriteria(
        country_codes=tuple(country_codes(event_filter.countries or [], "filter.countries")),
        kinds=tuple(event_filter.kinds or ()),
        start=event_filter.from_,
        end=event_filter.to,
        participant=participant,
        text_query=text_query,
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
