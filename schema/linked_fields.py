"""Fields that follow a link from a type's row to other rows, each declared once for both
execution paths.

A Strawberry type declares such a field with one call, beside its column fields
(schema.columns):

    heads: list[HeadOfMission] = children(models.HeadOfMission.mission_id, order=orders.tenure,
                                          description="...")

From that declaration come the resolver, a batched load through the request's
DataLoaders, and the compiled SQL (schema.compiled.fields). The field's annotation says
the type it gives; the foreign key (or the condition) says the table. An argument that
narrows a list (`Only`) or a date a field answers for (`on_date`) is part of the same
declaration. A field with logic of its own keeps its resolver and names its compiled form
beside it, with the reason it cannot be declared here:
`name: str = own_logic(_name, fields.country_name, description=...)`.

The parent's Strawberry type holds its row as `row` (a Private field).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

import strawberry
from sqlalchemy import Table
from sqlalchemy.orm import InstrumentedAttribute
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.lazy_type import LazyType
from strawberry.types.union import StrawberryUnion

from db import orders
from db.base import model_of
from db.partial_date import PartialDate
from schema.columns import from_columns, row_model
from schema.compiled import fields
from schema.compiled.compiler import COMPILED, Handler, RootHandler
from schema.context import Info
from schema.loaders import Loaders

OrderOf = Callable[[Any], orders.Order]


def compiled_as(handler: Handler | RootHandler) -> dict[str, Any]:
    """Field metadata naming the compiled form of a field that keeps its own resolver
    (a RootHandler for a field of Query)."""
    return {COMPILED: handler}


def own_logic(
    resolver: Callable[..., Any], compiled: Handler | RootHandler, *, description: str
) -> Any:
    """A field with logic of its own: its resolver, and its compiled form beside it (the
    caller says why the two cannot come from one declaration)."""
    return strawberry.field(
        resolver=resolver, description=description, metadata=compiled_as(compiled)
    )


def given_type(info: Info) -> Any:
    """The Strawberry type (or union) a field gives, inside any list or null."""
    kind: Any = info.return_type
    while isinstance(kind, StrawberryList | StrawberryOptional):
        kind = kind.of_type
    if isinstance(kind, LazyType):
        kind = kind.resolve_type()
    return kind


def _built(info: Info) -> Callable[[Any], Any]:
    """The `from_row` of the Strawberry type a field gives."""
    build: Callable[[Any], Any] = given_type(info).from_row
    return build


def _referenced(key: InstrumentedAttribute[Any]) -> Any:
    """The model a foreign key points at."""
    return model_of(next(iter(key.expression.foreign_keys)).column.table)


def reference(key: InstrumentedAttribute[Any], *, description: str) -> Any:
    """The row a foreign key of the parent's row points at; null where the key is not set."""
    attribute = key.key
    model = _referenced(key)

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


@dataclass(frozen=True)
class Only:
    """Which of a list's rows a field gives: those whose `column` holds one of the values its
    argument names (every row when it names none), or one of the `fixed` values (always, or
    when the argument names none).

    With `fold`, the argument is one value, compared as the column stores it (folded).
    The same values narrow the rows in SQL (`condition`) and among loaded rows (`keeps`).
    """

    column: InstrumentedAttribute[Any]
    argument: str | None = None  # the argument's name, the same in Python and in GraphQL
    annotation: Any = None  # the argument's type, with its description
    fixed: tuple[Any, ...] = ()
    fold: Callable[[Any], Any] | None = None

    def wanted(self, arguments: dict[str, Any]) -> Any:
        """The values asked for, or None for every row."""
        given = None if self.argument is None else arguments.get(self.argument)
        if self.fixed and not given:
            return self.fixed  # with an argument, the values it stands for when not given
        if given is None or self.fold is None:
            return list(given) if given else None
        return self.fold(given)

    def condition(self, row: Any, arguments: dict[str, Any]) -> Any:
        wanted = self.wanted(arguments)
        if wanted is None:
            return None
        column = getattr(row, self.column.key)
        return column == wanted if self.fold is not None else column.in_(wanted)

    def keeps(self, row: Any, arguments: dict[str, Any]) -> bool:
        wanted = self.wanted(arguments)
        if wanted is None:
            return True
        value = getattr(row, self.column.key)
        return bool(value == wanted) if self.fold is not None else value in wanted

    def parameters(self) -> list[inspect.Parameter]:
        """The field's argument, as a resolver's parameter."""
        if self.argument is None:
            return []
        return [
            inspect.Parameter(
                self.argument,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=self.annotation,
            )
        ]


def with_arguments(
    resolve: Callable[..., Any], arguments: Sequence[inspect.Parameter], *, root: bool = True
) -> Callable[..., Any]:
    """The resolver (which takes `**arguments`) with the field's own arguments in its
    signature, where Strawberry reads them: declared once, by the declaration that makes it.
    A field of Query has no `root`."""
    keyword = [argument.replace(kind=inspect.Parameter.KEYWORD_ONLY) for argument in arguments]
    given = [inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Info)]
    if root:
        given.insert(0, inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD))
    resolve.__signature__ = inspect.Signature([*given, *keyword])  # type: ignore[attr-defined]
    return resolve


def _listed(
    load: Callable[[Loaders], Any],
    compiled: fields.Listed,
    only: Only | None,
    description: str,
) -> Any:
    """A list field: the rows `load` gives for the parent's row, narrowed by `only`."""

    async def resolve(root: Any, info: Info, **arguments: Any) -> list[Any]:
        rows = await load(info.context.loaders).load(root.row.id)
        build = _built(info)
        return [build(row) for row in rows if only is None or only.keeps(row, arguments)]

    return strawberry.field(
        resolver=with_arguments(resolve, [] if only is None else only.parameters()),
        description=description,
        metadata=compiled_as(compiled),
    )


def children(
    key: InstrumentedAttribute[Any], *, order: OrderOf, description: str, only: Only | None = None
) -> Any:
    """The rows whose foreign key `key` points at the parent's row, in `order`."""
    model, attribute = key.class_, key.key
    where = None if only is None or not only.fixed else only.column.in_(only.fixed)
    compiled = fields.rows_of(
        model,
        lambda row, target: getattr(target, attribute) == row.id,
        order,
        ((key,),),
        only=only,
        where=where,
    )
    return _listed(lambda loaders: loaders.rows_by(key, order), compiled, only, description)


def linked(
    link: Table,
    subject: str,
    target: str,
    *,
    order: OrderOf,
    description: str,
    only: Only | None = None,
) -> Any:
    """The rows a link table joins to the parent's row: `subject` names the parent, `target` the row."""
    model = model_of(next(iter(link.c[target].foreign_keys)).column.table)
    compiled = fields.rows_of(
        model,
        lambda row, _: link.c[subject] == row.id,
        order,
        ((link.c[subject],),),
        through=fields.through(link, target),
        only=only,
    )
    return _listed(
        lambda loaders: loaders.linked(link, subject, target, order), compiled, only, description
    )


def cited(link: Table, *, description: str) -> Any:
    """The sources of a kind of fact, through its link table (`event_source`: by `event_id`)."""
    subject = f"{link.name.removesuffix('_source')}_id"
    return linked(link, subject, "source_id", order=orders.by_id, description=description)


def matching(
    parent: Any,
    model: Any,
    condition: fields.Condition,
    *,
    order: OrderOf,
    description: str,
    groupings: tuple[tuple[Any, ...], ...] = (),
    fixed: int | None = None,
    only: Only | None = None,
) -> Any:
    """The rows of `model` that meet `condition(parent's row, row)`, where no one foreign key
    says which: a relation's two countries, the posts either of them keeps in the other.
    `groupings` (or `fixed`, for a list of one length) tell the node estimate how long the
    list can be, as `fields.Listed` says."""
    compiled = fields.rows_of(model, condition, order, groupings, only=only, fixed=fixed)
    return _listed(
        lambda loaders: loaders.matching(parent, model, condition, order),
        compiled,
        only,
        description,
    )


def either(*keys: InstrumentedAttribute[Any], description: str) -> Any:
    """One of several kinds of row, by which of the parent row's foreign keys `keys` is set
    (the first set one): the field's annotation is the union of their types."""
    members = [(_referenced(key).__name__, _referenced(key), key.key) for key in keys]

    async def resolve(root: Any, info: Info) -> Any:
        union = given_type(info)
        assert isinstance(union, StrawberryUnion)
        for name, model, attribute in members:
            pk = getattr(root.row, attribute)
            if pk is not None:
                row = await info.context.loaders.row(model).load(pk)
                assert row is not None  # the foreign key says it exists
                return _member(union, name).from_row(row)
        raise AssertionError("a check constraint sets one of the keys")

    return strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(fields.either(members))
    )


def _member(union: StrawberryUnion, name: str) -> Any:
    """The union's member type named `name` (the name of its model)."""
    for member in union.types:
        kind: Any = member.resolve_type() if isinstance(member, LazyType) else member
        if kind.__strawberry_definition__.name == name:
            return kind
    raise LookupError(name)


AsOf = Annotated[
    PartialDate | None, strawberry.argument(description="The date to answer for (default: today).")
]


def on_date(
    question: Callable[..., Any], model: Any, *, description: str, attribute: str | None = None
) -> Any:
    """The row of `model` that answers a question about one date about the parent's row (who
    headed a post then, where it was), as an object, or only its column `attribute`; the
    argument `asOf` names the date (default: today). `question(parent id, date, parent row)`
    is the SQL expression of the answering row's id (db.tenures)."""

    async def resolve(root: Any, info: Info, as_of: AsOf = None) -> Any:
        loaders = info.context.loaders
        parent = type(root.row)
        found = await loaders.on_date(question, parent).load(
            (root.row.id, as_of or PartialDate.today())
        )
        row = None if found is None else await loaders.row(model).load(found)
        if row is None:
            return None
        return _built(info)(row) if attribute is None else getattr(row, attribute)

    return strawberry.field(
        resolver=resolve,
        description=description,
        metadata=compiled_as(fields.on_date(question, model, attribute)),
    )


def embedded(present: str | None = None, *, description: str) -> Any:
    """An object whose fields are columns of the parent's row itself (a post's location, its
    contact details); null where the column `present` is null."""

    async def resolve(root: Any, info: Info) -> Any:
        if present is not None and getattr(root.row, present) is None:
            return None
        kind = given_type(info)
        # A type that also follows links from the row (a place's country) holds the row.
        held = {"row": root.row} if row_model(kind) is not None else {}
        return from_columns(kind, root.row, **held)

    where = None if present is None else (lambda row: getattr(row, present).is_not(None))
    return strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(fields.embedded(where))
    )


@dataclass(frozen=True)
class Entry:
    """One entry of a JSON object, as the compiled form reads it (columns `key` and `value`)."""

    key: str
    value: Any


def entries(attribute: str, *, description: str) -> Any:
    """The entries of a JSON object column of the parent's row (a dataset's counts), in order
    of their keys: objects whose column fields read `key` and `value`."""

    async def resolve(root: Any, info: Info) -> list[Any]:
        found: dict[str, Any] = getattr(root.row, attribute) or {}
        kind = given_type(info)
        return [from_columns(kind, Entry(key, value)) for key, value in sorted(found.items())]

    return strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(fields.entries(attribute))
    )


def grouped(query: Callable[[Any], Any], *, order: Sequence[str], description: str) -> Any:
    """The rows a grouped query gives about the parent's row (a relation's events counted by
    decade and kind): objects whose column fields read the query's columns, in order of the
    columns `order` names. `query(parent)` is about the one row `parent` stands for; the
    resolvers ask it of many parents at once, grouped by each one's id as well."""

    async def resolve(root: Any, info: Info) -> list[Any]:
        rows = await info.context.loaders.grouped(query, type(root.row)).load(root.row.id)
        kind = given_type(info)
        return [from_columns(kind, row) for row in rows]

    return strawberry.field(
        resolver=resolve,
        description=description,
        metadata=compiled_as(fields.grouped(query, order)),
    )
