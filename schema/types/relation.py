"""The Relation type: two countries' relations."""

import strawberry

from db import event_tallies, models, orders, queries
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.enums import EventKind, RelationStatus
from schema.ids import encode_id
from schema.linked_fields import cited, grouped, linked, matching
from schema.types import lists
from schema.types.country import Country
from schema.types.event import EventConnection
from schema.types.mission import Mission
from schema.types.node import Node, Source
from schema.types.organization import Organization


@strawberry.type(description="How many of a relation's events of one kind fell in one decade.")
class EventTally:
    decade: int = column("decade", description="The decade's first year: 1830 for 1830 to 1839.")
    kind: EventKind = column("kind", description="The events' kind.")
    count: int = column("events", description="How many events of that kind the decade had.")


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

    organizations: list[Organization] = linked(
        models.relation_organization,
        "relation_id",
        "organization_id",
        order=orders.by_name,
        description="Bodies that exist for this relation: business councils, friendship associations.",
    )

    events: EventConnection = lists.events(
        queries.relation_event_ids,
        description="Events that involve both countries, oldest first unless ordered otherwise.",
    )

    sources: list[Source] = cited(
        models.relation_source,
        description="The sources that state the relation and its founding date.",
    )
    countries: list[Country] = matching(
        models.Relation,
        models.Country,
        # IN rather than OR: SQLite reads the two rows by key for IN, but scanned every
        # country for OR (18 of the 32 ms of the Netherlands' country view).
        lambda relation, country: country.id.in_([relation.country_a_id, relation.country_b_id]),
        order=orders.by_code,
        fixed=2,
        description="The two countries, in alphabetical order of code.",
    )
    missions: list[Mission] = matching(
        models.Relation,
        models.Mission,
        queries.posts_of_relation,
        order=orders.by_name,
        groupings=(
            (models.Mission.country_id, models.Mission.host_country_id),
            (models.Mission.host_country_id, models.Mission.country_id),
        ),
        description="Posts either country keeps in the other.",
    )
    event_counts: list[EventTally] = grouped(
        event_tallies.tallies,
        order=("decade", "kind"),
        description="The relation's events counted by decade and kind, oldest decade first: the timeline's overview.",
    )
