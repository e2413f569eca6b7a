"""Relationship fields, each declared once for both execution paths.

A Strawberry type declares a field that follows a foreign key with one call, beside
its column fields (schema.columns):

    heads: list[HeadOfMission] = children(models.HeadOfMission.mission_id, order=orders.tenure,
                                          description="...")

From that declaration come the resolver, a batched load through the request's
DataLoaders, and the compiled SQL (schema.compiled.fields). The field's annotation says
the type it gives; the foreign key says the table. A field with arguments or logic of
its own keeps its resolver and names its compiled form beside it:
`@strawberry.field(description=..., metadata=compiled_as(fields.head_on))`.

The parent's Strawberry type holds its row as `row` (a Private field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from sqlalchemy import Table
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.lazy_type import LazyType

from db import orders
from db.base import model_of
from schema.compiled import fields
from schema.compiled.compiler import COMPILED, Handler, RootHandler
from schema.context import Info

OrderOf = Callable[[Any], orders.Order]


def compiled_as(handler: Handler | RootHandler) -> dict[str, Any]:
    """Field metadata naming the compiled form of a field that keeps its own resolver
    (a RootHandler for a field of Query)."""
    return {COMPILED: handler}


def _built(info: Info) -> Callable[[Any], Any]:
    """The `from_row` of the Strawberry type a field gives (inside any list or null)."""
    kind: Any = info.return_type
    while isinstance(kind, StrawberryList | StrawberryOptional):
        kind = kind.of_type
    if isinstance(kind, LazyType):
        kind = kind.resolve_type()
    build: Callable[[Any], Any] = kind.from_row
    return build


def reference(key: InstrumentedAttribute[Any], *, description: str) -> Any:
    """The row a foreign key of the parent's row points at; null where the key is not set."""
    attribute = key.key
    model = model_of(next(iter(key.expression.foreign_keys)).column.table)

    async def resolve(root: Any, info: Info) -> Any:
        pk = getattr(root.row, attribute)
        if pk is None:
            return None
        row = await info.context.loaders.row(model).load(pk)
        return None if row is None else _built(info)(row)

    return strawberry.field(
        resolver=resolve,
        description=description,
        metadata=compiled_as(fields.reference(model, attribute)),
    )


def children(key: InstrumentedAttribute[Any], *, order: OrderOf, description: str) -> Any:
    """The rows whose foreign key `key` points at the parent's row, in `order`."""
    model = key.class_

    async def resolve(root: Any, info: Info) -> list[Any]:
        rows = await info.context.loaders.rows_by(key, order).load(root.row.id)
        build = _built(info)
        return [build(row) for row in rows]

    return strawberry.field(
        resolver=resolve,
        description=description,
        metadata=compiled_as(fields.rows_of(model, key.key, order)),
    )


def linked(link: Table, subject: str, target: str, *, order: OrderOf, description: str) -> Any:
    """The rows a link table joins to the parent's row: `subject` names the parent, `target` the row."""
    model = model_of(next(iter(link.c[target].foreign_keys)).column.table)

    async def resolve(root: Any, info: Info) -> list[Any]:
        rows = await info.context.loaders.linked(link, subject, target, order).load(root.row.id)
        build = _built(info)
        return [build(row) for row in rows]

    return strawberry.field(
        resolver=resolve,
        description=description,
        metadata=compiled_as(fields.linked(model, link, subject, target, order)),
    )


def cited(link: Table, *, description: str) -> Any:
    """The sources of a kind of fact, through its link table (`event_source`: by `event_id`)."""
    subject = f"{link.name.removesuffix('_source')}_id"
    return linked(link, subject, "source_id", order=orders.by_id, description=description)
