"""The Relation type: two countries' relations."""

from typing import Annotated

import strawberry

from db import models
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.connection import AFTER, BEFORE, FIRST, LAST, PageArguments
from schema.context import Info
from schema.ids import encode_id
from schema.types.country import Country
from schema.types.event import EventConnection, EventFilter, EventOrder, nested_event_connection
from schema.types.mission import Mission, load_country
from schema.types.node import Node, Source
from schema.types.organization import Organization


@strawberry.type(description="The relations between two countries.")
class Relation(Node):
    row: strawberry.Private[models.Relation]
    established: PartialDate | None = column(
        "established", description="When diplomatic relations were established."
    )

    @classmethod
    def from_row(cls, row: models.Relation) -> "Relation":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Relation", row.id)), row=row)

    @strawberry.field(description="The two countries, in alphabetical order of code.")
    async def countries(self, info: Info) -> list[Country]:
        pair = [
            await load_country(info, self.row.country_a_id),
            await load_country(info, self.row.country_b_id),
        ]
        return sorted(pair, key=lambda country: country.code)

    @strawberry.field(description="Posts either country keeps in the other.")
    async def missions(self, info: Info) -> list[Mission]:
        rows = await info.context.loaders.missions_of_relation.load(self.row.id)
        return [Mission.from_row(row) for row in rows]

    @strawberry.field(
        description="Bodies that exist for this relation: business councils, friendship associations."
    )
    async def organizations(self, info: Info) -> list[Organization]:
        rows = await info.context.loaders.organizations_of_relation.load(self.row.id)
        return [Organization.from_row(row) for row in rows]

    @strawberry.field(
        description="Events that involve both countries, oldest first unless ordered otherwise."
    )
    async def events(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        filter: Annotated[
            EventFilter | None,
            strawberry.argument(description="Only the events that match this filter."),
        ] = None,
        order_by: Annotated[
            EventOrder | None,
            strawberry.argument(
                description="The order of the events (default: by date, oldest first)."
            ),
        ] = None,
    ) -> EventConnection:
        loaders = info.context.loaders
        return await nested_event_connection(
            info,
            self.row.id,
            loaders.relation_events,
            loaders.relation_event_counts,
            PageArguments(first, after, last, before),
            filter,
            order_by,
        )

    @strawberry.field(description="The sources that state the relation and its founding date.")
    async def sources(self, info: Info) -> list[Source]:
        return Source.from_rows(await info.context.loaders.sources_of_relation.load(self.row.id))
