"""People, and the positions they held."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import models
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.connection import AFTER, BEFORE, FIRST, LAST, PageArguments
from schema.context import Info
from schema.ids import encode_id
from schema.types.country import Country
from schema.types.mission import HeadOfMission, load_country
from schema.types.node import Node

if TYPE_CHECKING:
    from schema.types.event import ParticipationConnection, Quote
    from schema.types.organization import Organization

OrganizationRef = Annotated["Organization", strawberry.lazy("schema.types.organization")]
ParticipationConnectionRef = Annotated[
    "ParticipationConnection", strawberry.lazy("schema.types.event")
]
QuoteRef = Annotated["Quote", strawberry.lazy("schema.types.event")]


@strawberry.type(description="A position a person held, such as Prime Minister of Malaysia.")
class Position:
    row: strawberry.Private[models.Position]
    title: str = column("title", description="The title of the office.")
    start: PartialDate | None = column(
        "start", description="When the person took office, where known."
    )
    end: PartialDate | None = column("end", description="When the person left office, where known.")
    in_office_on: PartialDate | None = column(
        "held_on",
        description="A date the sources show the person in this office, when they do not say when the term began.",
    )

    @strawberry.field(description="The country the office belongs to, where it belongs to one.")
    async def country(self, info: Info) -> Country | None:
        pk = self.row.country_id
        return None if pk is None else await load_country(info, pk)

    @strawberry.field(
        description="The organization the office belongs to, where it belongs to one."
    )
    async def organization(self, info: Info) -> OrganizationRef | None:
        from schema.types.organization import Organization

        pk = self.row.organization_id
        row = None if pk is None else await info.context.loaders.organization.load(pk)
        return None if row is None else Organization.from_row(row)


@strawberry.type(description="A person named by a source.")
class Person(Node):
    row: strawberry.Private[models.Person]
    name: str = column("name", description="The person's name as the sources give it.")

    @classmethod
    def from_row(cls, row: models.Person) -> "Person":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Person", row.id)), row=row)

    @strawberry.field(description="Country the person acts for, where known.")
    async def country(self, info: Info) -> Country | None:
        pk = self.row.country_id
        return None if pk is None else await load_country(info, pk)

    @strawberry.field(
        description="The positions this person is known to have held, earliest first."
    )
    async def positions(self, info: Info) -> list[Position]:
        rows = await info.context.loaders.positions.load(self.row.id)
        return [from_columns(Position, row, row=row) for row in rows]

    @strawberry.field(description="Posts this person headed.")
    async def headships(self, info: Info) -> list[HeadOfMission]:
        rows = await info.context.loaders.headships.load(self.row.id)
        return [HeadOfMission.from_row(row) for row in rows]

    @strawberry.field(description="The events this person took part in, oldest first.")
    async def participations(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> ParticipationConnectionRef:
        from schema.types.event import participation_connection

        loaders = info.context.loaders
        return await participation_connection(
            info,
            self.row.id,
            loaders.person_participations,
            loaders.person_participation_counts,
            PageArguments(first, after, last, before),
        )

    @strawberry.field(description="What this person is quoted as saying, oldest first.")
    async def quotes(self, info: Info) -> list[QuoteRef]:
        from schema.types.event import Quote

        rows = await info.context.loaders.quotes_by_speaker.load(self.row.id)
        return [Quote.from_row(row) for row in rows]
