"""The change log: one Change per successful write."""

import datetime as dt

import strawberry

from db import models
from db.kinds import BY_NAME
from schema.columns import column, from_columns
from schema.compiled import fields
from schema.connection import Connection
from schema.ids import encode_id
from schema.linked_fields import compiled_as
from schema.scalars import Json
from schema.types.node import Node


@strawberry.type(description="One recorded write: who changed what, when.")
class Change(Node):
    row: strawberry.Private[models.Change]
    at: dt.datetime = column(
        "at", description="When the change was made, in UTC.", written=fields.moment
    )
    actor: str = column("actor", description="Name of the token that made the change.")
    action: str = column("action", description="The mutation's name, e.g. createEvent.")
    # Its own logic: a global ID from two columns, the kind and the row id; the compiled
    # form writes it in SQL for every kind a change can target.
    target_id: strawberry.ID = strawberry.field(
        description="Global ID of the object changed.", metadata=compiled_as(fields.change_target)
    )
    before: Json | None = column(
        "before", description="The object as it was before (null on create).", written=fields.stored
    )
    after: Json | None = column(
        "after", description="The object as it was after (null on delete).", written=fields.stored
    )

    @classmethod
    def from_row(cls, row: models.Change) -> "Change":
        return from_columns(
            cls,
            row,
            id=strawberry.ID(encode_id("Change", row.id)),
            # SQLite gives a stored moment back without its zone, which is UTC.
            at=row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.UTC),
            target_id=strawberry.ID(encode_id(BY_NAME[row.target_type].type_name, row.target_id)),
            row=row,
        )


@strawberry.type(description="A page of changes, newest first.")
class ChangeConnection(Connection[Change]):
    pass
