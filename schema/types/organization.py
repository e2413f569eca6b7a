"""The Organization type."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import models
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.enums import OrganizationKind
from schema.ids import encode_id
from schema.linked_fields import reference
from schema.types import lists
from schema.types.country import Country
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

    country: Country | None = reference(
        models.Organization.country_id,
        description="Country the organization belongs to; null for international ones.",
    )

    participations: ParticipationConnectionRef = lists.participations(
        "organization",
        description="The events this organization took part in, oldest first.",
    )
