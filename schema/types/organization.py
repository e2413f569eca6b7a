"""The Organization type."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import models
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.connection import AFTER, BEFORE, FIRST, LAST, PageArguments
from schema.context import Info
from schema.enums import OrganizationKind
from schema.ids import encode_id
from schema.types.country import Country
from schema.types.mission import load_country
from schema.types.node import Node

if TYPE_CHECKING:
    from schema.types.event import ParticipationConnection

ParticipationConnectionRef = Annotated[
    "ParticipationConnection", strawberry.lazy("schema.types.event")
]


@strawberry.type(
    description="A government body, company, university, association or international organization."
)
class Organization(Node):
    row: strawberry.Private[models.Organization]
    name: str = column("name", description="The organization's name.")
    kind: OrganizationKind = column("kind", description="What sort of body this is.")
    founded: PartialDate | None = column("founded", description="When it was founded, where known.")

    @classmethod
    def from_row(cls, row: models.Organization) -> "Organization":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Organization", row.id)), row=row)

    @strawberry.field(
        description="Country the organization belongs to; null for international ones."
    )
    async def country(self, info: Info) -> Country | None:
        pk = self.row.country_id
        return None if pk is None else await load_country(info, pk)

    @strawberry.field(description="The events this organization took part in, oldest first.")
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
            loaders.organization_participations,
            loaders.organization_participation_counts,
            PageArguments(first, after, last, before),
        )
