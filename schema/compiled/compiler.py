"""Compiling a query operation into one SQL statement that builds its whole `data` JSON.

The compiler walks the operation as the executor would, collecting fields with
graphql-core's own `collect_fields`/`collect_subfields` (so aliases, fragments,
`@include`/`@skip` and type conditions mean exactly what they mean there) and
coercing arguments with its `get_argument_values`. Each field becomes a SQL
expression over the row of its parent; lists and connections become correlated
subqueries that aggregate JSON. The selections, orders, filters and page keys come
from the data layer the resolvers use (`db.queries`, `db.orders`, `db.pages`).

Whatever the compiler does not cover, or any argument that the resolvers would
answer with an error, raises `Uncovered`: the operation then runs on the resolvers,
which remain the reference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    OperationDefinitionNode,
    get_named_type,
    get_nullable_type,
    is_list_type,
    is_object_type,
)
from graphql.execution.collect_fields import (
    FieldDetails,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import DocumentNode, FragmentDefinitionNode
from sqlalchemy import (
    Integer,
    Select,
    Table,
    case,
    false,
    func,
    inspect,
    literal,
    select,
    true,
)
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BinaryExpression, ColumnClause
from strawberry.types.arguments import convert_arguments
from strawberry.types.field import StrawberryField

from db import orders, pages, queries
from db.base import model_of
from db.kinds import KINDS
from db.pages import Keyset
from schema.columns import column_of, written_as
from schema.compiled.json_sql import MAX_KEYS, Expr, JsonSql, constant
from schema.cursors import decode_cursor, page_size

Details = list[FieldDetails]
T = TypeVar("T")

# A field handler gets the build, the parent row (an alias of its model), the field's
# details, its coerced arguments and its GraphQL type, and returns the field's JSON value;
# a root field handler has no parent row.
Handler = Callable[["Build", Any, Details, dict[str, Any], GraphQLType], Expr]
RootHandler = Callable[["Build", Details, dict[str, Any], GraphQLType], Expr]


# The metadata key under which a Strawberry field names its compiled form (schema.linked_fields).
COMPILED = "bilateral.compiled"


def handler_of(field: GraphQLField) -> Any:
    """The compiled form a field declares, if any (a Handler, or a RootHandler on Query)."""
    definition = field.extensions.get("strawberry-definition")
    return None if definition is None else definition.metadata.get(COMPILED)


# The fields the compiler leaves to the resolvers, and why. An operation that asks for one
# runs on the resolvers; every other field of the graph that Query reaches is compiled
# (tests/test_schema.py checks that each is a column, declares its compiled form, or is here).
RESOLVER_ONLY = {
    # Data-quality issues: found by the checks in db.quality, several statements each.
    "Query.qualityIssues": "data-quality issues",
    "Query.qualityIssueCounts": "data-quality issues",
    "Mission.qualityIssues": "data-quality issues",
    "HeadOfMission.qualityIssues": "data-quality issues",
    "Event.qualityIssues": "data-quality issues",
    # Succession: rules over all of a post's tenures, in db.succession.
    "HeadOfMission.predecessor": "succession between tenures",
    "HeadOfMission.successor": "succession between tenures",
    # The caller's budget: the request's, not the database's (schema.budget).
    "Query.rateLimit": "the caller's budget",
}


class Row:
    """An alias of a model's table (or a subquery with its columns) whose columns are read by
    the model's attribute names, as on `aliased(model)`: `row.id`, `row.start` (column
    "from"). Core columns, without the ORM's adaptation on every attribute read, which was
    most of the time a walk took."""

    __slots__ = ("_alias", "_carried", "_joins", "_names")

    def __init__(
        self,
        model: Any,
        selectable: Any = None,
        prefix: str = "",
        carried: Mapping[str, Row] = MappingProxyType({}),
        joins: list[_Join] | None = None,
    ) -> None:
        self._alias = model.__table__.alias() if selectable is None else selectable
        self._names = _column_names(model, prefix)  # a subquery's columns may carry a prefix
        # The rows this row's foreign keys point at that its subquery carries too, by the
        # key's attribute name: a reference is built from them, not looked up again.
        self._carried = carried
        # Where the row is one of a list's, the rows its references join to it (in the
        # list's FROM): a reference is read from a join rather than a subquery per row.
        self._joins = joins

    def __getattr__(self, name: str) -> Any:
        try:
            return self._alias.c[self._names[name]]
        except KeyError:
            raise AttributeError(name) from None

    def __clause_element__(self) -> Any:
        return self._alias


@dataclass(frozen=True)
class _Join:
    """A row joined to a list's rows by a foreign key: the referenced row, the key, and
    whether the key may be null (an outer join then)."""

    row: Row
    key: Any
    outer: bool


MAX_JOINS = 4  # references joined to one list's rows; more are looked up row by row


class _Key:
    """The row a foreign key points at, known by the key alone: only its id can be read."""

    __slots__ = ("_names", "id")

    def __init__(self, model: Any, key: Any) -> None:
        self._names = _column_names(model)
        self.id = key

    def __getattr__(self, name: str) -> Any:
        if name in self._names:
            raise _Unread(name)
        raise AttributeError(name)  # not a column: SQLAlchemy asking what kind of thing this is

    def __clause_element__(self) -> Any:
        return self.id.table  # what a subquery over this row correlates with: the key's row


class _Unread(Exception):
    """A selection reads more of a referenced row than its id."""


@functools.cache
def _column_names(model: Any, prefix: str = "") -> dict[str, str]:
    """The column each of a model's column attributes reads, by attribute name."""
    return {prop.key: prefix + prop.columns[0].key for prop in inspect(model).column_attrs}


class Uncovered(Exception):
    """The operation needs something the compiler does not build; the resolvers answer it."""


def checked(ask: Callable[[], T]) -> T:
    """What a compiled form asks of its arguments, asked as its resolver asks it: where the
    resolver would answer with a GraphQL error, the resolvers answer (and word it)."""
    try:
        return ask()
    except GraphQLError as error:
        raise Uncovered(error.message) from None


@dataclass(frozen=True)
class ConnectionSpec:
    """One connection: what it pages through, in which order and under which cursor name."""

    keyset: Keyset
    model: Any  # the model of its nodes
    ids: Select[Any]  # the node ids, first column
    parent: Any = None  # the column naming the parent row, for a nested connection
    # How a node is built from a page row, when it is not the row of `model` with its id.
    node: Callable[[Build, Any, Details], Expr] | None = None


class Compiler:
    """Compiles the operations of one schema for one database dialect.

    Fields name their compiled form themselves (`handler_of`: a Handler, or a RootHandler
    on Query), or are columns (schema.columns).
    """

    def __init__(self, schema: GraphQLSchema, json: JsonSql) -> None:
        self.schema = schema
        self.json = json
        # The model of each type whose `id` is a global ID.
        self.nodes = {kind.type_name: kind.model for kind in KINDS}
        # Each country's row id by its alpha-2 code, once read from the database (`learn`).
        # Countries are never renumbered; a code not here is looked up in the statement.
        self.countries: dict[str, int] = {}
        # How many events each country's row id has, and all events, as read at start
        # (`learn`): where a list of events is best begun (`Build.start_from`). Only a plan
        # follows from them, never an answer, so they may grow stale.
        self.country_events: dict[int, int] = {}
        self.events = 0

    def compile(
        self, document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
    ) -> Compiled:
        """The statement whose one row and column is the operation's `data` as JSON text,
        with what is known of it besides."""
        build = Build(self, document, operation, variables)
        return Compiled(build.statement(), build.empties, not build.paged)


@dataclass(frozen=True)
class Compiled:
    """An operation's statement and what its compilation found out about it."""

    statement: Select[Any]
    empties: bool  # whether its JSON may hold an empty object (`Build.empties`)
    # Whether one plan serves every set of its values: it finds rows by keys and lists
    # what points at them, and pages through nothing (see `Statements.text`).
    stable: bool


# The page a list of events is expected to fill when choosing where to begin it.
EXPECTED_PAGE = 100
# A country is busy when it is in more than one event in this many.
BUSY = 10


@dataclass(frozen=True)
class Countries:
    """A compilation's way to countries' row ids (queries.CountedCountries)."""

    build: Build

    def __call__(self, code: str) -> Any:
        return self.build.country_pk(code)

    def start_from(self, codes: Sequence[str]) -> str | None:
        """The country with the fewest events, where reading them all costs less than
        walking every event by date until a page of the events of all `codes`, were the
        countries' events independent of each other; None where the walk costs less, or
        nothing is known. Only on SQLite: PostgreSQL plans each run for its values, from
        what its statistics say of the countries, and plans better left to itself."""
        compiler = self.build.compiler
        if self.build.json.name != "sqlite":
            return None
        total = compiler.events
        pks = [self.build.countries.get(code) for code in codes]
        if not codes or not total or None in pks:
            return None
        counts = {
            code: compiler.country_events.get(pk or 0, 0)
            for code, pk in zip(codes, pks, strict=True)
        }
        fewest = min(codes, key=lambda code: counts[code])
        share = 1.0  # of all events, those of every one of the countries (expected)
        for count in counts.values():
            share *= count / total
        walked = total if share == 0 else min(total, EXPECTED_PAGE / share)
        return fewest if counts[fewest] < walked else None

    def busy(self) -> list[int]:
        """The countries in more than a tenth of all events, by row id (few: the share adds
        up to at most the countries an event has, about two, over a tenth)."""
        compiler = self.build.compiler
        if not compiler.events:
            return []
        share = compiler.events / BUSY
        return sorted(pk for pk, count in compiler.country_events.items() if count > share)


class Build:
    """The compilation of one operation with one set of variable values."""

    def __init__(
        self,
        compiler: Compiler,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
    ) -> None:
        if operation.operation.value != "query":
            raise Uncovered("only queries are compiled")
        self.schema = compiler.schema
        self.json = compiler.json
        self.nodes = compiler.nodes
        self.countries = compiler.countries
        self.compiler = compiler
        self.operation = operation
        self.variables = variables
        self.fragments: dict[str, FragmentDetails] = {}
        # Whether the answer may hold `{}`: an object none of whose fields were selected for
        # its type, or a stored JSON value. Without one, `{"` opens every object it holds.
        self.empties = False
        # Whether the statement pages through a connection: its rows filtered, ordered and
        # cut, where the best plan depends on the values (a busy country or a quiet one).
        self.paged = False
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                if definition.variable_definitions:
                    raise Uncovered("fragment variables")
                self.fragments[definition.name.value] = FragmentDetails(definition)

    # The walk -------------------------------------------------------------------------

    def statement(self) -> Select[Any]:
        root = self.schema.query_type
        assert root is not None
        collected = collect_fields(
            self.schema, self.fragments, self.variables, root, self.operation
        )
        if collected.new_defer_usages:
            raise Uncovered("@defer")
        pairs: list[tuple[str, Expr]] = []
        for key, details in collected.grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                pairs.append((key, constant(root.name)))
                continue
            if name.startswith("__"):
                raise Uncovered("introspection")
            field = root.fields[name]
            handler = handler_of(field)
            if handler is None:
                raise Uncovered(RESOLVER_ONLY.get(f"Query.{name}", f"Query.{name}"))
            pairs.append((key, handler(self, details, self.arguments(field, details), field.type)))
        return select(self.json.text(self.object(pairs)))

    def arguments(self, field: Any, details: Details) -> dict[str, Any]:
        first = details[0]
        try:
            return get_argument_values(
                field, first.node, self.variables, first.fragment_variable_values
            )
        except GraphQLError as error:
            raise Uncovered(error.message) from None

    def given(self, field: StrawberryField, arguments: dict[str, Any]) -> dict[str, Any]:
        """A field's arguments as its resolver gets them, by Python name: input objects as
        their Strawberry types, enums as theirs. A handler that reads them calls what the
        resolver calls, so the two cannot read an argument differently."""
        strawberry_schema = self.schema._strawberry_schema  # type: ignore[attr-defined]
        return convert_arguments(
            arguments,
            field.arguments,
            scalar_registry=strawberry_schema.schema_converter.scalar_registry,
            config=strawberry_schema.config,
        )

    def object(self, pairs: list[tuple[str, Expr]]) -> Expr:
        if len(pairs) > MAX_KEYS:
            raise Uncovered("too many keys in one object")
        if not pairs:
            self.empties = True
        return self.json.object(pairs)

    def subfields(self, type_: GraphQLObjectType, details: Details) -> dict[str, Details]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, type_, details
        )
        if collected.new_defer_usages:
            raise Uncovered("@defer")
        return collected.grouped_field_set

    def built(
        self,
        type_: GraphQLObjectType,
        details: Details,
        value: Callable[[str, Details], Expr],
    ) -> Expr:
        """The JSON object of a type for a selection: `__typename` is answered here, every
        other field by `value(its name, its details)`."""
        pairs: list[tuple[str, Expr]] = []
        for key, group in self.subfields(type_, details).items():
            name = group[0].node.name.value
            pairs.append(
                (key, constant(type_.name) if name == "__typename" else value(name, group))
            )
        return self.object(pairs)

    def row_object(self, type_: GraphQLObjectType, row: Any, details: Details) -> Expr:
        """The JSON object of one row of a type, with the fields the selection asks for."""

        def value(name: str, group: Details) -> Expr:
            field = type_.fields[name]
            if name == "id" and type_.name in self.nodes:
                return self.json.global_id(type_.name, row.id)
            handler = handler_of(field) or _from_column(field)
            if handler is None:
                where = f"{type_.name}.{name}"
                raise Uncovered(RESOLVER_ONLY.get(where, where))
            expression: Expr = handler(self, row, group, self.arguments(field, group), field.type)
            return expression

        return self.built(type_, details, value)

    def country_pk(self, code: str) -> Expr:
        """A country's row id for its alpha-2 code: bound as a value where it is known, so
        that PostgreSQL plans with what its statistics say of that country (SQLite plans
        alike for every country, `JsonSql.steady`)."""
        pk = self.countries.get(code)
        if pk is None:
            return queries.country_pk(code)
        return self.json.steady(literal(pk, Integer))

    @property
    def country_keys(self) -> Countries:
        """`country_pk` for the data layer's selections, with the countries' events."""
        return Countries(self)

    # Shapes of fields -----------------------------------------------------------------

    def one(
        self, type_: GraphQLType, model: Any, where: Callable[[Any], Any], details: Details
    ) -> Expr:
        """A single object, found by a condition on its row (null when none)."""
        target = object_type(type_)
        row = Row(model)
        built = self.row_object(target, row, details)
        return self.json.embed(select(built).where(where(row)).scalar_subquery())

    def reference(
        self, type_: GraphQLType, model: Any, row: Any, attribute: str, details: Details
    ) -> Expr:
        """The object the foreign key `attribute` of a row points at (null when it is not set).

        Looked up by a subquery only when it must be: a row the page already carries (joined
        to order the page) is read from the page; a selection that reads nothing of the row
        but its id (and lists of what points at it) reads the key; and for one of a list's
        rows, the row is joined to the list's rows.
        """
        target = object_type(type_)
        key = getattr(row, attribute)
        carried = row._carried.get(attribute) if isinstance(row, Row) else None
        if carried is not None:  # carried through an inner join: always there
            return self.row_object(target, carried, details)
        built = self._from_key(target, model, key, details)
        if built is None:
            joins = row._joins if isinstance(row, Row) else None
            if joins is None or len(joins) >= MAX_JOINS:
                return self.one(type_, model, _id_is(key), details)
            # Joined to the list's rows: one join for the list, not a lookup for each row.
            joined = Row(model, joins=joins)
            joins.append(_Join(joined, key, getattr(key, "nullable", True)))
            built = self.row_object(target, joined, details)
        if getattr(key, "nullable", True):
            return self.json.embed(case((key.is_(None), None), else_=built))
        return built

    def _from_key(
        self, target: GraphQLObjectType, model: Any, key: Any, details: Details
    ) -> Expr | None:
        """The JSON object of a referenced row built from its key alone (the key's constraint
        says the row exists, so the key is its id), or None when the selection reads more."""
        if not self._key_may_do(target, details):
            return None
        try:
            return self.row_object(target, _Key(model, key), details)
        except _Unread:  # a list that reads more than the row's id
            return None

    def _key_may_do(self, target: GraphQLObjectType, details: Details) -> bool:
        """Whether a selection of a referenced row asks only for what its key may answer: the
        id, the type name, and lists or connections of what points at the row. Asked before
        building, so that a selection reading more (a name) is built once, as a lookup, and
        not first from the key and again, nested levels and all, when that fails."""
        for group in self.subfields(target, details).values():
            name = group[0].node.name.value
            if name in ("id", "__typename"):
                continue
            type_ = get_nullable_type(target.fields[name].type)
            if not (is_list_type(type_) or (is_object_type(type_) and "nodes" in type_.fields)):
                return False
        return True

    def many(
        self,
        type_: GraphQLType,
        model: Any,
        where: Callable[[Any], Any],
        order: Callable[[Any], orders.Order],
        details: Details,
        parent: Any,
        through: Callable[[Select[Any], Any], Select[Any]] | None = None,
    ) -> Expr:
        """A list of objects: the rows that meet a condition, in an order."""
        target = object_type(type_)
        joins: list[_Join] = []
        row = Row(model, joins=joins)
        built = self.row_object(target, row, details)
        rows = select(self.json.aggregate(built, order(row))).select_from(row)
        if through is not None:
            rows = through(rows, row)
        for join in joins:
            rows = rows.join_from(row, join.row, join.row.id == join.key, isouter=join.outer)
        rows = rows.where(where(row)).correlate(parent)
        return self.json.embed(rows.scalar_subquery())

    def union(self, members: Sequence[tuple[str, Any, Any, Any]], details: Details) -> Expr:
        """One of several kinds of object: that of the first member whose condition holds.

        Each member is (type name, model, condition, the id of its row).
        """
        branches = []
        for type_name, model, condition, pk in members:
            member = self.schema.get_type(type_name)
            assert isinstance(member, GraphQLObjectType)
            built = self._from_key(member, model, pk, details)
            if built is None:
                built = self.one(member, model, _id_is(pk), details)
            branches.append((condition, built))

        return self.json.embed(case(*branches, else_=None))

    def connection(
        self,
        type_: GraphQLType,
        spec: ConnectionSpec,
        details: Details,
        first: int | None,
        after: str | None,
        parent: Any = None,
    ) -> Expr:
        """A page of a connection, with whichever of its parts the selection asks for."""
        page = _Page(self, spec, object_type(type_), first, after, parent)
        return self.built(page.connection, details, page.part)


class _Page:
    """One page of a connection: its rows in order, and each part a selection can ask for."""

    def __init__(
        self,
        build: Build,
        spec: ConnectionSpec,
        connection: GraphQLObjectType,
        first: int | None,
        after: str | None,
        parent: Any,
    ) -> None:
        try:
            self.size = page_size(first)
            self.cursor = decode_cursor(spec.keyset.name, after, len(spec.keyset.keys))
        except GraphQLError as error:
            raise Uncovered(error.message) from None
        self.build, self.spec, self.connection = build, spec, connection
        build.paged = True
        ids = spec.ids
        if spec.parent is not None:
            ids = ids.where(spec.parent == parent.id).correlate(parent)
        self.ids = ids
        labelled = [key.expression.label(f"k{i}") for i, key in enumerate(spec.keyset.keys)]
        # Where the ids are those of rows of the node's own table, the page carries the
        # whole row, so that a node is built from the row in hand, not looked up again.
        self.whole_rows = spec.node is None and _own_table(ids, spec.model)
        # The tables the ids join by a foreign key of the node's row (to order by them),
        # whose whole rows the page carries as well, their columns prefixed by the key's.
        self.carried = _joined_by_key(ids, spec.model) if self.whole_rows else {}
        if self.whole_rows:
            carried = [
                column.label(f"{attribute}.{column.key}")
                for attribute, (table, _) in self.carried.items()
                for column in table.columns
            ]
            page = ids.with_only_columns(*spec.model.__table__.columns, *carried, *labelled)
        else:
            page = ids.add_columns(*labelled)
        if self.cursor is not None:
            page = page.where(pages.after(spec.keyset.keys, self.cursor))
        page = page.order_by(*(key.ordering for key in spec.keyset.keys))
        self.page = page.correlate(parent) if spec.parent is not None else page
        self.keys = [(f"k{i}", key.descending) for i, key in enumerate(spec.keyset.keys)]

    def part(self, name: str, group: Details) -> Expr:
        """One field of the connection."""
        if name == "totalCount":
            return select(func.count()).select_from(self.ids.subquery()).scalar_subquery()
        if name == "nodes":
            return self._items(lambda row, found: self._node(row, found, group))
        if name == "edges":
            edge = object_type(self.connection.fields["edges"].type)

            def build_edge(row: Any, found: Any) -> Expr:
                def value(field: str, details: Details) -> Expr:
                    if field == "cursor":
                        return self._cursor_of(found)
                    return self._node(row, found, details)

                return self.build.built(edge, group, value)

            return self._items(build_edge)
        if name == "pageInfo":
            info = object_type(self.connection.fields["pageInfo"].type)
            return self.build.built(info, group, self._page_info)
        raise Uncovered(f"{self.connection.name}.{name}")

    def _page_info(self, name: str, group: Details) -> Expr:
        json = self.build.json
        if name == "hasNextPage":
            more = select(func.count()).select_from(self._rows(self.size + 1)).scalar_subquery()
            return json.boolean(more > self.size)
        if name == "hasPreviousPage":
            return json.boolean(true() if self.cursor is not None else false())
        return self._end(last=name == "endCursor")

    def _rows(self, limit: int, page: Select[Any] | None = None) -> Any:
        """The first `limit` rows of the page (or of a narrower select of it)."""
        limited = (self.page if page is None else page).limit(
            self.build.json.steady(literal(limit, Integer))
        )
        return limited.subquery()

    def _ordering(self, found: Any, reverse: bool = False) -> list[Any]:
        return [
            found.c[name].desc() if descending != reverse else found.c[name]
            for name, descending in self.keys
        ]

    def _cursor_of(self, table: Any) -> Expr:
        return self.build.json.cursor(
            self.spec.keyset.name, [table.c[name] for name, _ in self.keys]
        )

    def _items(self, item: Callable[[Any, Any], Expr]) -> Expr:
        """The page's items as a JSON array, in order; `item` builds one from its node row
        (None when the spec builds nodes itself) and its page row."""
        found = self._rows(self.size)
        source: Any = found
        row = None
        if self.whole_rows:
            carried = {
                attribute: Row(model, found, f"{attribute}.")
                for attribute, (_, model) in self.carried.items()
            }
            row = Row(self.spec.model, found, carried=carried)
        elif self.spec.node is None:
            row = Row(self.spec.model)
            source = found.join(row, row.id == found.c[self.spec.ids.selected_columns[0].key])
        aggregate = self.build.json.aggregate(item(row, found), self._ordering(found))
        items = select(aggregate).select_from(source)
        if self.whole_rows:
            items = self._narrowed(items, found)
        return self.build.json.embed(items.scalar_subquery())

    def _narrowed(self, items: Select[Any], found: Any) -> Select[Any]:
        """The items read from a page of only the columns they use: the page carries whole
        rows so that nodes need no second lookup, but a row's every column costs (a wider
        sort, an index that no longer covers the walk), so those nothing reads are dropped."""
        used = {
            element.key
            for element in visitors.iterate(items)
            if isinstance(element, ColumnClause) and element.table is found
        }
        kept = [column for column in self.page.selected_columns if column.key in used]
        if len(kept) == len(self.page.selected_columns):
            return items
        narrow = self._rows(self.size, self.page.with_only_columns(*kept))

        def swap(element: Any) -> Any:
            if isinstance(element, ColumnClause) and element.table is found:
                return narrow.c[element.key]
            if element is found:
                return narrow
            return None

        narrowed: Select[Any] = visitors.replacement_traverse(items, {}, swap)  # type: ignore[call-overload]
        return narrowed

    def _end(self, last: bool) -> Expr:
        """The cursor of the page's first item, or with `last` of its last one."""
        found = self._rows(self.size)
        ordering = self._ordering(found, reverse=last)
        return select(self._cursor_of(found)).order_by(*ordering).limit(1).scalar_subquery()

    def _node(self, row: Any, found: Any, group: Details) -> Expr:
        if self.spec.node is not None:
            return self.spec.node(self.build, found, group)
        return self.build.row_object(node_type(self.connection), row, group)


def _own_table(ids: Select[Any], model: Any) -> bool:
    """Whether a connection's ids are the `id` column of its model's own table (not an alias)."""
    first = ids.selected_columns[0]
    table = getattr(model, "__table__", None)
    return table is not None and getattr(first, "table", None) is table and first.key == "id"


def _joined_by_key(ids: Select[Any], model: Any) -> dict[str, tuple[Any, Any]]:
    """The tables a connection's ids inner-join by their id to a column of the model's table
    (as the participations of a person join their events, to order by date): by the
    attribute name of that column, the table as the ids join it and the model mapped to it.

    Read from the joins as the select was told them (`Select.join`), which SQLAlchemy keeps
    in `_setup_joins`; its public `get_final_froms` compiles the statement to find them.
    Should that ever change shape, nothing is found and references are looked up again.
    """
    own = model.__table__
    attributes = {column: name for name, column in _column_names(model).items()}
    found: dict[str, tuple[Any, Any]] = {}
    for join in getattr(ids, "_setup_joins", ()):
        if len(join) != 4 or join[3].get("isouter", True) or join[3].get("full", True):
            continue
        table, condition = join[0], join[1]
        key = _joining_key(table, condition, own)
        if key in attributes:
            found[attributes[key]] = (table, model_of(own.metadata.tables[table.name]))
    return found


def _joining_key(table: Any, condition: Any, own: Table) -> str | None:
    """The column of `own` whose value a join condition finds the table's row by, as its id."""
    if not isinstance(table, Table) or not isinstance(condition, BinaryExpression):
        return None
    if condition.operator is not operators.eq:
        return None
    for key, target in (condition.left, condition.right), (condition.right, condition.left):
        if _is_of(key, own) and _is_of(target, table) and target.key == "id":
            name: str | None = key.key
            return name
    return None


def _is_of(column: Any, table: Table) -> bool:
    """Whether an expression is a column of the table (or of its annotated copy, as an ORM
    join holds it)."""
    found = getattr(column, "table", None)
    return isinstance(found, Table) and found.name == table.name


def forwards(arguments: dict[str, Any]) -> tuple[int | None, str | None]:
    """A connection's `first` and `after`; paging backwards is for the resolvers."""
    if arguments.get("last") is not None or arguments.get("before") is not None:
        raise Uncovered("paging backwards")
    return arguments.get("first"), arguments.get("after")


def _id_is(value: Any) -> Callable[[Any], Any]:
    """The condition that a row's id is `value`, for `Build.one`."""
    return lambda row: row.id == value


def object_type(type_: GraphQLType) -> GraphQLObjectType:
    named = get_named_type(type_)
    if not is_object_type(named):
        raise Uncovered(f"abstract type {named}")
    assert isinstance(named, GraphQLObjectType)
    return named


def node_type(connection: GraphQLObjectType) -> GraphQLObjectType:
    return object_type(connection.fields["nodes"].type)


def _from_column(field: GraphQLField) -> Handler | None:
    """The handler of a field the Strawberry type reads straight from a column (schema.columns)."""
    definition = field.extensions.get("strawberry-definition")
    if definition is None:
        return None
    attribute = column_of(definition)
    if attribute is None:
        return None
    kind = get_named_type(field.type).name
    written = written_as(definition)

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        value: Expr = getattr(row, attribute)
        if written is not None:
            converted: Expr = written(build, value)
            return converted
        if kind == "Boolean":
            return build.json.boolean(value)
        if kind == "Float":
            return build.json.number(value)
        return value  # text, integers, enum names and ISO partial dates go out as stored

    return handle
