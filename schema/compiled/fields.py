"""How each field that is not a plain column becomes SQL: references, lists, connections, unions.

Plain column fields need no entry: the Strawberry types declare them (schema.columns).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from graphql import GraphQLType
from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import aliased

from db import models, orders
from db.country_names import language
from db.kinds import KINDS
from schema.compiled.compiler import (
    Build,
    Details,
    Handler,
    Uncovered,
    object_type,
)
from schema.compiled.json_sql import Expr


def reference(model: Any, attribute: str) -> Handler:
    """The object a foreign key of the row points at (null when it is not set)."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        return build.reference(type_, model, row, attribute, details)

    return handle


@dataclass(frozen=True)
class Listed:
    """A list field's handler, with the columns its lists are grouped by: the largest group
    (summed over the groupings) is the longest list the field can give, for the node estimate."""

    handle: Handler
    groupings: tuple[tuple[Any, ...], ...] = ()
    where: Any = None  # only the rows the field can list (an embassy among the posts)
    fixed: int | None = None  # a list that is always this long
    # Each row grouped is one item under one parent (a foreign key of the listed table, no
    # link table): items of distinct parents are distinct, and all of them are at most the
    # table's rows, a bound the node estimate takes where the parents are distinct.
    own: bool = False
    # The argument that narrows the list's rows (`kind: [EMBASSY]`), for the share it keeps.
    only: Narrowing | None = None

    def __call__(
        self,
        build: Build,
        row: Any,
        details: Details,
        arguments: dict[str, Any],
        type_: GraphQLType,
    ) -> Expr:
        return self.handle(build, row, details, arguments, type_)


class Narrowing(Protocol):
    """How a list field's argument narrows its rows, in SQL (schema.linked_fields.Only):
    to those whose `column` holds one of the values `wanted` gives for the arguments."""

    @property
    def column(self) -> Any: ...

    @property
    def fixed(self) -> tuple[Any, ...]: ...

    def wanted(self, arguments: dict[str, Any]) -> Any: ...

    def condition(self, row: Any, arguments: dict[str, Any]) -> Any: ...


Condition = Callable[[Any, Any], Any]  # (the parent row, a listed row) -> SQL condition


def rows_of(
    model: Any,
    condition: Condition,
    order: Callable[[Any], orders.Order],
    groupings: tuple[tuple[Any, ...], ...] = (),
    *,
    through: Callable[[Select[Any], Any], Select[Any]] | None = None,
    only: Narrowing | None = None,
    where: Any = None,
    fixed: int | None = None,
) -> Listed:
    """The rows of `model` that meet `condition` with the parent row (joined `through` a
    link table, if given), narrowed by the field's argument, in `order`."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        def meets(target: Any) -> Any:
            found = condition(row, target)
            narrowed = None if only is None else only.condition(target, arguments)
            return found if narrowed is None else and_(found, narrowed)

        return build.many(type_, model, meets, order, details, row, through)

    table = model.__table__
    own = through is None and all(column.table is table for group in groupings for column in group)
    return Listed(handle, groupings, where, fixed, own=own and bool(groupings), only=only)


def through(link: Any, target: str) -> Callable[[Select[Any], Any], Select[Any]]:
    """Rows joined to a link table by its column `target`."""

    def join(rows: Select[Any], found: Any) -> Select[Any]:
        return rows.join(link, link.c[target] == found.id)

    return join


def on_date(question: Callable[..., Any], model: Any, attribute: str | None) -> Handler:
    """The row of `model` that answers a question about one date (`asOf`, default today) about
    the parent row: as an object, or only its column `attribute`."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        on = arguments.get("asOf")  # None: today, when the statement runs
        found = question(row.id, on, row)
        if attribute is None:
            return build.one(type_, model, lambda target: target.id == found, details)
        target = aliased(model)
        return select(getattr(target, attribute)).where(target.id == found).scalar_subquery()

    return handle


def either(keys: Sequence[tuple[str, Any, str]]) -> Handler:
    """One of several kinds of object, told apart by which foreign key of the row is set:
    each key is (type name, model, the key's attribute), the first set one wins."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        members = [
            (name, model, getattr(row, key).is_not(None), getattr(row, key))
            for name, model, key in keys
        ]
        return build.union(members, details)

    return handle


def embedded(present: Callable[[Any], Any] | None = None) -> Handler:
    """An object whose fields are columns of the row itself; null where `present` is false."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        built = build.row_object(object_type(type_), row, details)
        if present is None:
            return build.json.embed(built)
        return build.json.embed(case((present(row), built), else_=None))

    return handle


def entries(attribute: str) -> Handler:
    """The entries of a JSON object column of the row, as objects whose fields read the
    columns `key` and `value`, in order of their keys."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        found, order = build.json.entries(getattr(row, attribute))
        built = build.row_object(object_type(type_), found.c, details)
        rows = select(build.json.aggregate(built, [order])).select_from(found).correlate(row)
        return build.json.embed(rows.scalar_subquery())

    return handle


def grouped(query: Callable[[Any], Any], order: Sequence[str]) -> Handler:
    """The rows a grouped query gives about the row (its columns named as the fields'),
    as objects, in order of the columns `order` names."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        found = query(row).correlate(row).subquery()
        built = build.row_object(object_type(type_), found.c, details)
        ordering = [found.c[name] for name in order]
        rows = select(build.json.aggregate(built, ordering)).select_from(found)
        return build.json.embed(rows.scalar_subquery())

    return handle


def country_name(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    lang = arguments.get("lang")
    if lang is None:
        english: Expr = row.name
        return english
    locale = language(lang)
    if locale is None:
        raise Uncovered("an unknown language")  # the resolvers word the error
    N = aliased(models.CountryName)
    translated = select(N.name).where(N.country_id == row.id, N.language == locale)
    return func.coalesce(translated.scalar_subquery(), row.name)


def moment(build: Build, value: Expr) -> Expr:
    """A timestamp column, as the DateTime scalar writes it."""
    return build.json.moment(value)


def stored(build: Build, value: Expr) -> Expr:
    """A stored JSON value (a change's snapshot), as it was stored."""
    build.empties = True  # a stored value may hold anything
    return build.json.stored(value)


def change_target(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    """The global ID of what a change changed: its kind's type name and its row id."""
    kinds = [
        (row.target_type == kind.name, build.json.global_id(kind.type_name, row.target_id))
        for kind in KINDS
        if kind.snapshot is not None
    ]
    return case(*kinds, else_=None)
