"""Connection fields that several types share, each declared once with its arguments.

A country's and a relation's `events` take the same arguments and page the same way,
as do a person's and an organization's `participations`; each type declares its field
with one call here, naming the loaders of its own rows and its compiled form.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.dataloader import DataLoader

from db.pages import Page
from db.queries import EventCriteria
from schema.compiled.compiler import Handler
from schema.connection import AFTER, BEFORE, FIRST, LAST, PageArguments
from schema.context import Info
from schema.linked_fields import compiled_as
from schema.loaders import Loaders, PageArgs

if TYPE_CHECKING:
    from schema.types.event import (
        EventConnection,
        EventFilter,
        EventOrder,
        ParticipationConnection,
    )

EventConnectionRef = Annotated["EventConnection", strawberry.lazy("schema.types.event")]
ParticipationConnectionRef = Annotated[
    "ParticipationConnection", strawberry.lazy("schema.types.event")
]

# The `filter` and `orderBy` arguments of every list of events.
EventFilterArgument = Annotated[
    Annotated["EventFilter", strawberry.lazy("schema.types.event")] | None,
    strawberry.argument(description="Only the events that match this filter."),
]
EventOrderArgument = Annotated[
    Annotated["EventOrder", strawberry.lazy("schema.types.event")] | None,
    strawberry.argument(description="The order of the events (default: by date, oldest first)."),
]

# A parent's page loader and count loader, from the request's loaders.
EventLoaders = Callable[
    [Loaders],
    tuple[DataLoader[tuple[int, PageArgs], Page], DataLoader[tuple[int, EventCriteria], int]],
]
ParticipationLoaders = Callable[
    [Loaders], tuple[DataLoader[tuple[int, PageArgs], Page], DataLoader[tuple[int, None], int]]
]


def events(loaders: EventLoaders, *, compiled: Handler, description: str) -> Any:
    """The events of the parent's row, paged, filtered and ordered."""

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        filter: EventFilterArgument = None,
        order_by: EventOrderArgument = None,
    ) -> EventConnectionRef:
        from schema.types.event import nested_event_connection

        pages, counts = loaders(info.context.loaders)
        arguments = PageArguments(first, after, last, before)
        return await nested_event_connection(
            info, root.row.id, pages, counts, arguments, filter, order_by
        )

    return strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )


def participations(loaders: ParticipationLoaders, *, compiled: Handler, description: str) -> Any:
    """The participations in events of the parent's row, oldest event first."""

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> ParticipationConnectionRef:
        from schema.types.event import participation_connection

        pages, counts = loaders(info.context.loaders)
        arguments = PageArguments(first, after, last, before)
        return await participation_connection(info, root.row.id, pages, counts, arguments)

    return strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )
