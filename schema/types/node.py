"""The Node interface and the Source type that every fact cites."""

import strawberry

from db import models
from schema.columns import column, from_columns


@strawberry.interface(
    description="An object with a globally unique, opaque ID, fetchable with `node(id:)`."
)
class Node:
    id: strawberry.ID = strawberry.field(
        description="The object's global ID: opaque, stable, unique."
    )


@strawberry.type(description="Where a fact comes from.")
class Source:
    title: str = column(
        "title", description="Title of the source document, e.g. the article's title."
    )
    section: str | None = column(
        "section", description="Section of the document the fact is stated in, if known."
    )
    url: str | None = column("url", description="Where the document can be read, if known.")

    @classmethod
    def from_row(cls, row: models.Source) -> "Source":
        return from_columns(cls, row)

    @classmethod
    def from_rows(cls, rows: list[models.Source]) -> list["Source"]:
        return [cls.from_row(row) for row in rows]
