"""Relay connections: pages of objects with opaque cursors, page info and a total count."""

from __future__ import annotations

import inspect
import typing
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

import strawberry
from graphql import GraphQLError, GraphQLType
from sqlalchemy import Select
from strawberry.dataloader import DataLoader

from db import pages
from db.pages import Keyset, Page, Window
from db.queries import CountryPk
from schema.compiled.compiler import (
    Build,
    ConnectionSpec,
    Details,
    checked,
    forwards,
)
from schema.compiled.json_sql import Expr
from schema.context import Info
from schema.cursors import decode_cursor, encode_cursor, page_size
from schema.linked_fields import compiled_as, with_arguments

T = TypeVar("T")
M = TypeVar("M")

# The arguments every connection takes, declared once.
FIRST = strawberry.argument(description="How many items to return, 0 to 100 (default 20).")
AFTER = strawberry.argument(description="Return the items after this cursor.")
LAST = strawberry.argument(
    description="How many items to return from the end, 0 to 100, to page backwards; not with `first`."
)
BEFORE = strawberry.argument(description="Return the items before this cursor.")


@dataclass(frozen=True)
class PageArguments:
    """A connection field's paging arguments, as given."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    def window(self, keyset: Keyset) -> Window:
        """The page asked for of a connection in this order."""
        return page_window(
            keyset.name, len(keyset.keys), self.first, self.after, self.last, self.before
        )


def page_window(
    connection: str,
    key_count: int,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
) -> Window:
    """The page the arguments ask for, checked: the first items, or with `last` the last ones,
    of those between `after` and `before`."""
    if first is not None and last is not None:
        raise GraphQLError(
            "Arguments 'first' and 'last' cannot be given together: page forwards or backwards.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    size = page_size(first) if last is None else page_size(last, "last")
    return Window(
        size,
        decode_cursor(connection, after, key_count),
        decode_cursor(connection, before, key_count, "before"),
        from_end=last is not None,
    )


def nodes_from(
    loader: DataLoader[Any, M | None], build: Callable[[M], T]
) -> Callable[[Sequence[Any]], Awaitable[list[T]]]:
    """How a connection fetches its page's nodes: batched through a loader, built into types."""

    async def load(ids: Sequence[Any]) -> list[T]:
        rows = await loader.load_many(ids)
        return [build(row) for row in rows if row is not None]

    return load


@strawberry.type(description="Where a page sits in a connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="True when more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="True when items come before this page: it was asked for `after` a cursor, or for the `last` items and more precede them."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; pass it as `before` for the page before. Null on an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item; pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a connection with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="The opaque cursor of this item.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of items, in a stable order, with the means to fetch the next."
)
class Connection(Generic[T]):
    page: strawberry.Private[Page]
    name: strawberry.Private[str]
    load_nodes: strawberry.Private[Callable[[Sequence[int]], Awaitable[list[T]]]]
    load_total: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="The items of this page, each with its cursor.")
    async def edges(self) -> list[Edge[T]]:
        nodes = await self.load_nodes(self.page.ids)
        return [
            Edge(cursor=encode_cursor(self.name, key), node=node)
            for key, node in zip(self.page.keys, nodes, strict=True)
        ]

    @strawberry.field(description="The items of this page, without cursors.")
    async def nodes(self) -> list[T]:
        return await self.load_nodes(self.page.ids)

    @strawberry.field(description="Where this page sits in the connection.")
    def page_info(self) -> PageInfo:
        keys = self.page.keys
        return PageInfo(
            has_next_page=self.page.has_next,
            has_previous_page=self.page.has_previous,
            start_cursor=encode_cursor(self.name, keys[0]) if keys else None,
            end_cursor=encode_cursor(self.name, keys[-1]) if keys else None,
        )

    @strawberry.field(description="How many items the whole connection holds, over all pages.")
    async def total_count(self) -> int:
        return await self.load_total()


@dataclass(frozen=True)
class Listing:
    """What a connection of Query pages through: the ids of rows of `model` (the first column
    of what `ids` selects), in the order of `keyset`."""

    # The selection, given how a country's row id is found in SQL (None: looked up by its
    # code in the statement; the compiler binds the ids it knows).
    ids: Callable[[CountryPk | None], Select[Any]]
    keyset: Keyset
    model: Any


_PAGING = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
    for name, annotation in (
        ("first", Annotated[int | None, FIRST]),
        ("after", Annotated[str | None, AFTER]),
        ("last", Annotated[int | None, LAST]),
        ("before", Annotated[str | None, BEFORE]),
    )
]


# How the resolvers load a page's nodes by their ids, for a request, where they are not rows
# of one model (search results: schema.nodes), and how the compiler builds one from its page row.
NodesLoader = Callable[[Info], Callable[[Sequence[Any]], Awaitable[list[Any]]]]
NodeBuilder = Callable[[Build, Any, Details], Expr]


def paged(
    listing: Callable[..., Listing],
    *,
    description: str,
    nodes: tuple[NodesLoader, NodeBuilder] | None = None,
) -> Any:
    """A field of Query that pages through what `listing` selects, declared once: the
    resolver reads a page and the compiled form builds it in SQL, both from what `listing`
    gives for the field's own arguments (its parameters, with their descriptions). A
    GraphQL error it raises is the resolvers' answer. The field's annotation names the
    connection type; its nodes' type has `from_row`, unless `nodes` says how they are loaded
    and built."""
    own = list(inspect.signature(listing).parameters.values())
    names = [parameter.name for parameter in own]

    async def resolve(info: Info, **arguments: Any) -> Any:
        found = listing(**{name: arguments[name] for name in names if name in arguments})
        window = PageArguments(*(arguments.get(p.name) for p in _PAGING)).window(found.keyset)
        reader = info.context.reader
        ids = found.ids(None)
        page = await pages.read_page(reader, ids, found.keyset.keys, window)

        async def total() -> int:
            return await pages.count(reader, ids)

        kind: Any = info.return_type
        if nodes is None:
            load = nodes_from(info.context.loaders.row(found.model), _node_type(kind).from_row)
        else:
            load = nodes[0](info)
        return kind(page=page, name=found.keyset.name, load_nodes=load, load_total=total)

    # Required arguments first, then the paging ones, then the optional ones (as the SDL has them).
    required = [p for p in own if p.default is p.empty]
    optional = [p for p in own if p.default is not p.empty]
    with_arguments(resolve, [*required, *_PAGING, *optional], root=False)

    def compiled(
        build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        given = build.given(field, arguments)
        found = checked(lambda: listing(**{name: given[name] for name in names if name in given}))
        node = None if nodes is None else nodes[1]
        spec = ConnectionSpec(found.keyset, found.model, found.ids(build.country_keys), node=node)
        return build.connection(type_, spec, details, *forwards(arguments))

    field: Any = strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )
    return field


def _node_type(connection: Any) -> Any:
    """The type of a connection's nodes: the T its class is a Connection[T] of."""
    for base in getattr(connection, "__orig_bases__", ()):
        if typing.get_origin(base) is Connection:
            return typing.get_args(base)[0]
    raise TypeError(f"{connection} is not a Connection of one type")
