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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLType,
    OperationDefinitionNode,
    get_named_type,
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
from sqlalchemy import Select, case, false, func, literal, select, true
from sqlalchemy.orm import aliased

from db import models, orders, pages, queries
from db.pages import Key
from schema.columns import column_of, row_model
from schema.compiled.json_sql import MAX_KEYS, Expr, JsonSql
from schema.criteria import event_criteria
from schema.cursors import decode_cursor, page_size

Details = list[FieldDetails]

# A field handler gets the build, the parent row (an alias of its model), the field's
# details, its coerced arguments and its GraphQL type, and returns the field's JSON value;
# a root field handler has no parent row.
Handler = Callable[["Build", Any, Details, dict[str, Any], GraphQLType], Expr]
RootHandler = Callable[["Build", Details, dict[str, Any], GraphQLType], Expr]


# The metadata key under which a Strawberry field names its compiled form (schema.relations).
COMPILED = "bilateral.compiled"


def handler_of(field: GraphQLField) -> Any:
    """The compiled form a field declares, if any (a Handler, or a RootHandler on Query)."""
    definition = field.extensions.get("strawberry-definition")
    return None if definition is None else definition.metadata.get(COMPILED)


# The fields the compiler leaves to the resolvers, and why. An operation that asks for one
# runs on the resolvers; every other field of the graph that Query reaches is compiled
# (tests/test_schema.py checks that each is a column, declares its compiled form, or is here).
RESOLVER_ONLY = {
    # The change log: snapshots kept as JSON, shaped in Python (time zones, global IDs).
    "Query.changes": "the change log",
    # Data-quality issues: found by the checks in db.quality, several statements each.
    "Query.qualityIssues": "data-quality issues",
    "Query.qualityIssueCounts": "data-quality issues",
    "Mission.qualityIssues": "data-quality issues",
    "HeadOfMission.qualityIssues": "data-quality issues",
    "Event.qualityIssues": "data-quality issues",
    # Succession: rules over all of a post's tenures, in db.succession.
    "HeadOfMission.predecessor": "succession between tenures",
    "HeadOfMission.successor": "succession between tenures",
}


class Uncovered(Exception):
    """The operation needs something the compiler does not build; the resolvers answer it."""


@dataclass(frozen=True)
class ConnectionSpec:
    """One connection: what it pages through, in which order, under which cursor name."""

    name: str
    model: Any  # the model of its nodes
    ids: Select[Any]  # the node ids, first column
    keys: Sequence[Key]
    parent: Any = None  # the column naming the parent row, for a nested connection
    # How a node is built from a page row, when it is not the row of `model` with its id.
    node: Callable[[Build, Any, Details], Expr] | None = None
    # False when a cursor holds a float, which SQL does not write as Python does.
    exact_cursors: bool = True


def node_models(schema: GraphQLSchema) -> dict[str, Any]:
    """The model of each type whose `id` is a global ID: the types that implement Node."""
    found: dict[str, Any] = {}
    for type_ in schema.type_map.values():
        if is_object_type(type_) and any(i.name == "Node" for i in type_.interfaces):
            definition = type_.extensions.get("strawberry-definition")
            model = None if definition is None else row_model(definition.origin)
            if model is not None:
                found[type_.name] = model
    return found


class Compiler:
    """Compiles the operations of one schema for one database dialect.

    Fields name their compiled form themselves (`handler_of`: a Handler, or a RootHandler
    on Query), or are columns (schema.columns).
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        json: JsonSql,
    ) -> None:
        self.schema = schema
        self.json = json
        self.nodes = node_models(schema)  # the model of each type whose `id` is a global ID

    def compile(
        self, document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
    ) -> Select[Any]:
        """The statement whose one row and column is the operation's `data` as JSON text."""
        return Build(self, document, operation, variables).statement()


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
        self.operation = operation
        self.variables = variables
        self.fragments: dict[str, FragmentDetails] = {}
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
                pairs.append((key, literal(root.name)))
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

    def object(self, pairs: list[tuple[str, Expr]]) -> Expr:
        if len(pairs) > MAX_KEYS:
            raise Uncovered("too many keys in one object")
        return self.json.object(pairs)

    def subfields(self, type_: GraphQLObjectType, details: Details) -> dict[str, Details]:
        collected = collect_subfields(
            self.schema, self.fragments, self.variables, self.operation, type_, details
        )
        if collected.new_defer_usages:
            raise Uncovered("@defer")
        return collected.grouped_field_set

    def document(self, type_: GraphQLObjectType, row: Any, details: Details) -> Expr:
        """The JSON object of one row of a type, with the fields the selection asks for."""
        pairs: list[tuple[str, Expr]] = []
        for key, group in self.subfields(type_, details).items():
            name = group[0].node.name.value
            if name == "__typename":
                pairs.append((key, literal(type_.name)))
                continue
            field = type_.fields[name]
            if name == "id" and type_.name in self.nodes:
                pairs.append((key, self.json.global_id(type_.name, row.id)))
                continue
            handler = handler_of(field) or _from_column(field)
            if handler is None:
                where = f"{type_.name}.{name}"
                raise Uncovered(RESOLVER_ONLY.get(where, where))
            pairs.append((key, handler(self, row, group, self.arguments(field, group), field.type)))
        return self.object(pairs)

    # Shapes of fields -----------------------------------------------------------------

    def one(
        self, type_: GraphQLType, model: Any, where: Callable[[Any], Any], details: Details
    ) -> Expr:
        """A single object, found by a condition on its row (null when none)."""
        target = object_type(type_)
        row = aliased(model)
        document = self.document(target, row, details)
        return self.json.embed(select(document).where(where(row)).scalar_subquery())

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
        row = aliased(model)
        document = self.document(target, row, details)
        rows = select(self.json.aggregate(document, order(row))).select_from(row)
        if through is not None:
            rows = through(rows, row)
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
            branches.append((condition, self.one(member, model, _id_is(pk), details)))

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
        connection = object_type(type_)
        try:
            size = page_size(first)
            cursor = decode_cursor(spec.name, after, len(spec.keys))
        except GraphQLError as error:
            raise Uncovered(error.message) from None
        ids = spec.ids
        if spec.parent is not None:
            ids = ids.where(spec.parent == parent.id).correlate(parent)
        page = ids.add_columns(*(key.expression.label(f"k{i}") for i, key in enumerate(spec.keys)))
        if cursor is not None:
            page = page.where(pages.after(spec.keys, cursor))
        page = page.order_by(*(key.ordering for key in spec.keys))
        if spec.parent is not None:
            page = page.correlate(parent)
        key_names = [f"k{i}" for i in range(len(spec.keys))]
        directions = [key.descending for key in spec.keys]

        def rows(limit: int) -> Any:
            return page.limit(limit).subquery()

        def cursor_of(table: Any) -> Expr:
            if not spec.exact_cursors:
                raise Uncovered(f"the cursors of {spec.name}")
            return self.json.cursor(spec.name, [table.c[name] for name in key_names])

        def items(build: Callable[[Any, Any], Expr]) -> Expr:
            found = rows(size)
            source: Any = found
            row = None
            if spec.node is None:
                row = aliased(spec.model)
                source = found.join(row, row.id == found.c[spec.ids.selected_columns[0].key])
            ordering = [
                found.c[name].desc() if descending else found.c[name]
                for name, descending in zip(key_names, directions, strict=True)
            ]
            listed = select(self.json.aggregate(build(row, found), ordering)).select_from(source)
            return self.json.embed(listed.scalar_subquery())

        def end(last: bool) -> Expr:
            found = rows(size)
            ordering = [
                found.c[name].desc() if descending != last else found.c[name]
                for name, descending in zip(key_names, directions, strict=True)
            ]
            return select(cursor_of(found)).order_by(*ordering).limit(1).scalar_subquery()

        def node(row: Any, found: Any, group: Details) -> Expr:
            if spec.node is not None:
                return spec.node(self, found, group)
            return self.document(node_type(connection), row, group)

        pairs: list[tuple[str, Expr]] = []
        for key, group in self.subfields(connection, details).items():
            name = group[0].node.name.value
            if name == "__typename":
                pairs.append((key, literal(connection.name)))
            elif name == "totalCount":
                counted = ids.subquery()
                pairs.append((key, select(func.count()).select_from(counted).scalar_subquery()))
            elif name == "nodes":

                def build_node(row: Any, found: Any, g: Details = group) -> Expr:
                    return node(row, found, g)

                pairs.append((key, items(build_node)))
            elif name == "edges":
                edge = object_type(connection.fields["edges"].type)

                def build_edge(row: Any, found: Any, g: Details = group, e: Any = edge) -> Expr:
                    parts: list[tuple[str, Expr]] = []
                    for edge_key, edge_group in self.subfields(e, g).items():
                        edge_field = edge_group[0].node.name.value
                        if edge_field == "__typename":
                            parts.append((edge_key, literal(e.name)))
                        elif edge_field == "cursor":
                            parts.append((edge_key, cursor_of(found)))
                        else:
                            parts.append((edge_key, node(row, found, edge_group)))
                    return self.object(parts)

                pairs.append((key, items(build_edge)))
            elif name == "pageInfo":
                info = object_type(connection.fields["pageInfo"].type)
                parts: list[tuple[str, Expr]] = []
                for info_key, info_group in self.subfields(info, group).items():
                    info_field = info_group[0].node.name.value
                    if info_field == "__typename":
                        parts.append((info_key, literal(info.name)))
                    elif info_field == "hasNextPage":
                        more = select(func.count()).select_from(rows(size + 1)).scalar_subquery()
                        parts.append((info_key, self.json.boolean(more > size)))
                    elif info_field == "hasPreviousPage":
                        parts.append(
                            (info_key, self.json.boolean(true() if cursor is not None else false()))
                        )
                    elif info_field == "startCursor":
                        parts.append((info_key, end(last=False)))
                    else:
                        parts.append((info_key, end(last=True)))
                pairs.append((key, self.object(parts)))
            else:
                raise Uncovered(f"{connection.name}.{name}")
        return self.object(pairs)

    def events(
        self,
        type_: GraphQLType,
        details: Details,
        arguments: dict[str, Any],
        parent: Any = None,
        nested: Callable[[queries.EventCriteria], tuple[Select[Any], Any]] | None = None,
    ) -> Expr:
        """An event connection, at the root or under a country or relation."""
        given = arguments.get("filter") or {}
        try:
            criteria = event_criteria(
                countries=given.get("countries"),
                kinds=given.get("kinds"),
                start=given.get("from"),
                end=given.get("to"),
                participant=given.get("participant"),
                text=given.get("text"),
            )
        except GraphQLError as error:
            raise Uncovered(error.message) from None
        order = arguments.get("orderBy")
        descending = order is not None and order["direction"].name == "DESC"
        name = "events-desc" if descending else "events"
        keys = queries.event_keys(descending)
        if nested is None:
            spec = ConnectionSpec(name, models.Event, queries.event_ids(criteria), keys)
        else:
            ids, parent_column = nested(criteria)
            spec = ConnectionSpec(name, models.Event, ids, keys, parent_column)
        return self.connection(type_, spec, details, *forwards(arguments), parent)

    def participations(
        self,
        type_: GraphQLType,
        details: Details,
        arguments: dict[str, Any],
        kind: str,
        parent: Any,
    ) -> Expr:
        ids, column = queries.participation_ids(kind)
        spec = ConnectionSpec(
            "participations", models.Participation, ids, queries.participation_keys(), column
        )
        return self.connection(type_, spec, details, *forwards(arguments), parent)


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
    attribute = column_of(definition) if definition is not None else None
    if attribute is None:
        return None
    kind = get_named_type(field.type).name

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        value: Expr = getattr(row, attribute)
        if kind == "Boolean":
            return build.json.boolean(value)
        if kind == "Float":
            return build.json.number(value)
        return value  # text, integers, enum names and ISO partial dates go out as stored

    return handle
