"""The releases of outside datasets the database holds, and what each brought."""

import datetime as dt

import strawberry

from db import models
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.linked_fields import entries


@strawberry.type(description="How many records of one sort a dataset's release brought.")
class DatasetCount:
    name: str = column("key", description="What was counted: 'tenures', 'people', 'posts'.")
    count: int = column("value", description="How many.")


@strawberry.type(description="One release of an outside dataset, as last imported.")
class Dataset:
    row: strawberry.Private[models.Dataset]
    name: str = column("name", description="The dataset's short name: 'pocom'.")
    title: str = column("title", description="Its title: 'Principal Officers & Chiefs of Mission'.")
    publisher: str = column(
        "publisher",
        description="Who publishes it: 'Office of the Historian, U.S. Department of State'.",
    )
    url: str = column("url", description="Where it is published.")
    licence: str = column("licence", description="Its licence.")
    version: str | None = column(
        "version", description="The commit of the release imported, where known."
    )
    released: dt.date | None = column(
        "released", description="When the release was made, where known."
    )
    cutoff: PartialDate | None = column(
        "cutoff", description="The last date the release records: it says nothing after it."
    )

    counts: list[DatasetCount] = entries(
        "counts", description="How many records of each sort the release brought."
    )

    @classmethod
    def from_row(cls, row: models.Dataset) -> "Dataset":
        return from_columns(cls, row, row=row)
