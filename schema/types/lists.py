"""Connection fields that several types share, each declared once with its arguments.

A country's and a relation's `events` take the same arguments and page the same way,
as do a person's and an organization's `participations`; each type declares its field
with one call here, naming the selection of its own rows. From that one declaration come
the resolver (a page of many parents' rows in one statement, through the request's
loaders) and the compiled form (the page built inside the operation's statement).
"""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLType

from db import models, queries
from db.pages import Keyset, Page
from db.queries import EventCriteria
from schema.compiled.compiler import Build, ConnectionSpec, Details, checked, forwards
from schema.compiled.json_sql import Expr
from schema.connection import AFTER, BEFORE, FIRST, LAST, PageArguments, nodes_from
from schema.context import Info
from schema.linked_fields import compiled_as
from schema.loaders import PageArgs

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


def events_asked(
    event_filter: "EventFilter | None", order: "EventOrder | None"
) -> tuple[EventCriteria, bool, Keyset]:
    """What a list of events is asked for: the filter's criteria, checked (a GraphQL error
    names a wrong one), whether newest first, and the order with its cursor name."""
    from schema.types.event import event_criteria, is_descending

    descending = is_descending(order)
    return event_criteria(event_filter), descending, queries.events_order(descending)


def events(selection: queries.Selection, *, description: str) -> Any:
    """The events of the parent's row that `selection` picks, paged, filtered and ordered."""

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
        from schema.types.event import Event, EventConnection

        criteria, descending, keyset = events_asked(filter, order_by)
        window = PageArguments(first, after, last, before).window(keyset)
        loaders = info.context.loaders
        parent = root.row.id
        page: Page = await loaders.event_pages(selection).load(
            (parent, PageArgs(window, descending, criteria))
        )

        async def total() -> int:
            count: int = await loaders.event_counts(selection).load((parent, criteria))
            return count

        nodes = nodes_from(loaders.event, Event.from_row)
        return EventConnection(page=page, name=keyset.name, load_nodes=nodes, load_total=total)

    def compiled(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        given = build.given(field, arguments)
        criteria, _, keyset = checked(lambda: events_asked(given["filter"], given["order_by"]))
        ids, parent = selection(criteria, build.country_keys)
        spec = ConnectionSpec(keyset, models.Event, ids, parent)
        return build.connection(type_, spec, details, *forwards(arguments), row)

    field: Any = strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )
    return field


def participations(kind: str, *, description: str) -> Any:
    """The participations in events of the parent's row (a `kind` of participant: person or
    organization), oldest event first."""

    async def resolve(
        root: Any,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> ParticipationConnectionRef:
        from schema.types.event import Participation, ParticipationConnection

        keyset = queries.PARTICIPATIONS
        window = PageArguments(first, after, last, before).window(keyset)
        loaders = info.context.loaders
        parent = root.row.id
        page = await loaders.participation_pages(kind).load((parent, PageArgs(window)))

        async def total() -> int:
            count: int = await loaders.participation_counts(kind).load((parent, None))
            return count

        nodes = nodes_from(loaders.participation, Participation.from_row)
        return ParticipationConnection(
            page=page, name=keyset.name, load_nodes=nodes, load_total=total
        )

    def compiled(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        ids, parent = queries.participation_ids(kind)
        spec = ConnectionSpec(queries.PARTICIPATIONS, models.Participation, ids, parent)
        return build.connection(type_, spec, details, *forwards(arguments), row)

    return strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )
