"""People, and the positions they held."""

from typing import TYPE_CHECKING, Annotated

import strawberry

from db import models, orders
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.ids import encode_id
from schema.linked_fields import children, reference
from schema.types import lists
from schema.types.country import Country
from schema.types.mission import HeadOfMission
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

    country: Country | None = reference(
        models.Position.country_id,
        description="The country the office belongs to, where it belongs to one.",
    )
    organization: OrganizationRef | None = reference(
        models.Position.organization_id,
        description="The organization the office belongs to, where it belongs to one.",
    )

    @classmethod
    def from_row(cls, row: models.Position) -> "Position":
        return from_columns(cls, row, row=row)


@strawberry.type(description="A person named by a source.")
class Person(Node):
    row: strawberry.Private[models.Person]
    name: str = column("name", description="The person's name as the sources give it.")
    born: int | None = column("born", description="The year the person was born, where known.")
    died: int | None = column("died", description="The year the person died, where known.")
    career_type: str | None = column(
        "career_type",
        description="For a US chief of mission, as the Office of the Historian classes them: 'career' (Foreign Service officer), 'non-career', 'both', or 'pre-1915' (before the Foreign Service Act).",
    )
    historian_id: str | None = column(
        "historian_id",
        description="The Office of the Historian's id of the person ('legare-hugh-swinton'); `person(historianId:)` finds them by it.",
    )

    @classmethod
    def from_row(cls, row: models.Person) -> "Person":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Person", row.id)), row=row)

    country: Country | None = reference(
        models.Person.country_id, description="Country the person acts for, where known."
    )
    positions: list[Position] = children(
        models.Position.person_id,
        order=orders.office,
        description="The positions this person is known to have held, earliest first.",
    )
    headships: list[HeadOfMission] = children(
        models.HeadOfMission.person_id,
        order=orders.tenure,
        description="Posts this person headed.",
    )

    participations: ParticipationConnectionRef = lists.participations(
        "person",
        description="The events this person took part in, oldest first.",
    )

    quotes: list[QuoteRef] = children(
        models.Quote.speaker_id,
        order=orders.quotes_of_speaker,
        description="What this person is quoted as saying, oldest first.",
    )
