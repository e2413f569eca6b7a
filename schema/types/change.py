"""The change log: one Change per successful write."""

import datetime as dt

import strawberry

from db import models
from schema.connection import Connection
from schema.ids import encode_id
from schema.scalars import Json
from schema.types.node import Node

# The GraphQL type of each kind of object a change may target.
TARGET_TYPES = {
    "event": "Event",
    "person": "Person",
    "organization": "Organization",
    "mission": "Mission",
    "head_of_mission": "HeadOfMission",
}
TARGET_KINDS = {type_name: kind for kind, type_name in TARGET_TYPES.items()}


@strawberry.type(description="One recorded write: who changed what, when.")
class Change(Node):
    row: strawberry.Private[models.Change]
    at: dt.datetime = strawberry.field(description="When the change was made, in UTC.")
    actor: str = strawberry.field(description="Name of the token that made the change.")
    action: str = strawberry.field(description="The mutation's name, e.g. createEvent.")
    target_id: strawberry.ID = strawberry.field(description="Global ID of the object changed.")
    before: Json | None = strawberry.field(
        description="The object as it was before (null on create)."
    )
    after: Json | None = strawberry.field(
        description="The object as it was after (null on delete)."
    )

    @classmethod
    def from_row(cls, row: models.Change) -> "Change":
        return cls(
            id=strawberry.ID(encode_id("Change", row.id)),
            at=row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC),
            actor=row.actor,
            action=row.action,
            target_id=strawberry.ID(encode_id(TARGET_TYPES[row.target_type], row.target_id)),
            before=row.before,
            after=row.after,
            row=row,
        )


@strawberry.type(description="A page of changes, newest first.")
class ChangeConnection(Connection[Change]):
    pass
