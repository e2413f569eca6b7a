"""The Relation type: two countries' relations."""

import strawberry

from db import models, orders
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.compiled import fields
from schema.context import Info
from schema.enums import EventKind, RelationStatus
from schema.ids import encode_id
from schema.relations import cited, compiled_as, linked
from schema.types import lists
from schema.types.country import Country
from schema.types.event import EventConnection
from schema.types.mission import Mission, load_country
from schema.types.node import Node, Source
from schema.types.organization import Organization


@strawberry.type(description="How many of a relation's events of one kind fell in one decade.")
class EventTally:
    decade: int = strawberry.field(description="The decade's first year: 1830 for 1830 to 1839.")
    kind: EventKind = strawberry.field(description="The events' kind.")
    count: int = strawberry.field(description="How many events of that kind the decade had.")


@strawberry.type(description="The relations between two countries.")
class Relation(Node):
    row: strawberry.Private[models.Relation]
    established: PartialDate | None = column(
        "established",
        description="When diplomatic relations were first established, as the sources say; null where none says.",
    )
    status: RelationStatus | None = column(
        "status",
        description="Where diplomatic relations stand, as the sources last tell it (SEVERED for Iran and the United States); null where none tells.",
    )
    status_since: PartialDate | None = column(
        "status_since", description="Since when relations have stood as `status` says."
    )

    @classmethod
    def from_row(cls, row: models.Relation) -> "Relation":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Relation", row.id)), row=row)

    @strawberry.field(
        description="The two countries, in alphabetical order of code.",
        metadata=compiled_as(fields.relation_countries),
    )
    async def countries(self, info: Info) -> list[Country]:
        pair = [
            await load_country(info, self.row.country_a_id),
            await load_country(info, self.row.country_b_id),
        ]
        return sorted(pair, key=lambda country: country.code)

    @strawberry.field(
        description="Posts either country keeps in the other.",
        metadata=compiled_as(fields.relation_missions),
    )
    async def missions(self, info: Info) -> list[Mission]:
        rows = await info.context.loaders.missions_of_relation.load(self.row.id)
        return [Mission.from_row(row) for row in rows]

    organizations: list[Organization] = linked(
        models.relation_organization,
        "relation_id",
        "organization_id",
        order=orders.by_name,
        description="Bodies that exist for this relation: business councils, friendship associations.",
    )

    @strawberry.field(
        description="The relation's events counted by decade and kind, oldest decade first: the timeline's overview.",
        metadata=compiled_as(fields.relation_event_tallies),
    )
    async def event_counts(self, info: Info) -> list[EventTally]:
        tallies = await info.context.loaders.relation_event_tallies.load(self.row.id)
        return [EventTally(decade=t.decade, kind=t.kind, count=t.count) for t in tallies]

    events: EventConnection = lists.events(
        lambda loaders: (loaders.relation_events, loaders.relation_event_counts),
        compiled=fields.relation_events,
        description="Events that involve both countries, oldest first unless ordered otherwise.",
    )

    sources: list[Source] = cited(
        models.relation_source,
        description="The sources that state the relation and its founding date.",
    )
