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
    GraphQLList,
    GraphQLNonNull,
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
from sqlalchemy import Select, and_, case, false, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from db import models, orders, pages, queries, tenures
from db.countries import find_iso_country
from db.pages import Key
from db.partial_date import PartialDate
from db.search import SEARCH_TYPES, SearchWords
from schema.compiled.json_sql import MAX_KEYS, Expr, JsonSql
from schema.connection import decode_cursor, page_size
from schema.ids import parse_id

Details = list[FieldDetails]


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
    node: Callable[[_Build, Any, Details], Expr] | None = None
    # False when a cursor holds a float, which SQL does not write as Python does.
    exact_cursors: bool = True


class Compiler:
    """Compiles the operations of one schema for one database dialect."""

    def __init__(self, schema: GraphQLSchema, json: JsonSql) -> None:
        self.schema = schema
        self.json = json

    def compile(
        self, document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
    ) -> Select[Any]:
        """The statement whose one row and column is the operation's `data` as JSON text."""
        return _Build(self, document, operation, variables).statement()


class _Build:
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
            handler = ROOT_FIELDS.get(name)
            if handler is None:
                raise Uncovered(f"Query.{name}")
            field = root.fields[name]
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
            handler = FIELDS.get((type_.name, name))
            if handler is None:
                raise Uncovered(f"{type_.name}.{name}")
            field = type_.fields[name]
            pairs.append((key, handler(self, row, group, self.arguments(field, group), field.type)))
        return self.object(pairs)

    # Shapes of fields -----------------------------------------------------------------

    def one(
        self, type_: GraphQLType, model: Any, where: Callable[[Any], Any], details: Details
    ) -> Expr:
        """A single object, found by a condition on its row (null when none)."""
        target = _object_type(type_)
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
        target = _object_type(type_)
        row = aliased(model)
        keys = order(row)
        rows = select(
            self.document(target, row, details).label("doc"),
            *(key.label(f"o{index}") for index, key in enumerate(keys)),
        ).select_from(row)
        if through is not None:
            rows = through(rows, row)
        rows = rows.where(where(row)).order_by(*keys).correlate(parent)
        return self.json.array(rows, "doc", [(f"o{i}", False) for i in range(len(keys))])

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
        connection = _object_type(type_)
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
            listed = (
                select(build(row, found).label("doc"), *(found.c[n] for n in key_names))
                .select_from(source)
                .order_by(*ordering)
            )
            return self.json.array(listed, "doc", list(zip(key_names, directions, strict=True)))

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
            return self.document(_node_type(connection), row, group)

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
                edge = _object_type(connection.fields["edges"].type)

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
                info = _object_type(connection.fields["pageInfo"].type)
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
        from schema.types.event import EventFilter, event_criteria

        given = arguments.get("filter")
        event_filter = None
        if given is not None:
            event_filter = EventFilter(
                countries=given.get("countries"),
                kinds=given.get("kinds"),
                from_=given.get("from"),
                to=given.get("to"),
                participant=given.get("participant"),
                text=given.get("text"),
            )
        try:
            criteria = event_criteria(event_filter)
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
        return self.connection(
            type_, spec, details, arguments.get("first"), arguments.get("after"), parent
        )

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
        return self.connection(
            type_, spec, details, arguments.get("first"), arguments.get("after"), parent
        )


def _id_is(value: Any) -> Callable[[Any], Any]:
    """The condition that a row's id is `value`, for `_Build.one`."""
    return lambda row: row.id == value


def _object_type(type_: GraphQLType) -> GraphQLObjectType:
    named = get_named_type(type_)
    if not is_object_type(named):
        raise Uncovered(f"abstract type {named}")
    assert isinstance(named, GraphQLObjectType)
    return named


def _node_type(connection: GraphQLObjectType) -> GraphQLObjectType:
    return _object_type(connection.fields["nodes"].type)


def _is_list(type_: GraphQLType) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


# The fields -----------------------------------------------------------------------------
#
# A handler gets the build, the parent row (an alias of its model), the field's details,
# its coerced arguments and its GraphQL type, and returns the field's JSON value.

Handler = Callable[[_Build, Any, Details, dict[str, Any], GraphQLType], Expr]
RootHandler = Callable[[_Build, Details, dict[str, Any], GraphQLType], Expr]


def column(attribute: str) -> Handler:
    """A column of the row, as it is stored (text, integer, enum name, ISO partial date)."""
    return lambda build, row, details, arguments, type_: getattr(row, attribute)


def flag(attribute: str) -> Handler:
    return lambda build, row, details, arguments, type_: build.json.boolean(getattr(row, attribute))


def number(attribute: str) -> Handler:
    return lambda build, row, details, arguments, type_: build.json.number(getattr(row, attribute))


def global_id(type_name: str) -> Handler:
    return lambda build, row, details, arguments, type_: build.json.global_id(type_name, row.id)


def reference(model: Any, attribute: str) -> Handler:
    """The object a foreign key of the row points at (null when it is not set)."""

    def handle(
        build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        key = getattr(row, attribute)
        return build.one(type_, model, lambda target: target.id == key, details)

    return handle


def rows_of(model: Any, attribute: str, order: Callable[[Any], orders.Order]) -> Handler:
    """The rows of `model` whose column `attribute` points at the row, in `order`."""

    def handle(
        build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        return build.many(
            type_, model, lambda target: getattr(target, attribute) == row.id, order, details, row
        )

    return handle


def linked(
    model: Any, link: Any, subject: str, target: str, order: Callable[[Any], orders.Order]
) -> Handler:
    """Rows of `model` linked to the row through a link table."""

    def handle(
        build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        def through(rows: Select[Any], found: Any) -> Select[Any]:
            return rows.join(link, link.c[target] == found.id)

        return build.many(
            type_, model, lambda _: link.c[subject] == row.id, order, details, row, through
        )

    return handle


def sources(link: Any) -> Handler:
    subject = f"{link.name.removesuffix('_source')}_id"
    return linked(models.Source, link, subject, "source_id", orders.by_id)


def missions(attribute: str, fixed: Sequence[Any] = ()) -> Handler:
    """A country's posts abroad or posts hosted, optionally of some kinds."""

    def handle(
        build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        kinds = list(fixed) or list(arguments.get("kind") or ())

        def where(mission: Any) -> Any:
            condition = getattr(mission, attribute) == row.id
            return and_(condition, mission.kind.in_(kinds)) if kinds else condition

        return build.many(type_, models.Mission, where, orders.by_name, details, row)

    return handle


def head_on(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    on = arguments.get("asOf") or PartialDate.today()
    found = tenures.head_on(row.id, on, row)
    return build.one(type_, models.HeadOfMission, lambda head: head.id == found, details)


def address_on(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    on = arguments.get("asOf") or PartialDate.today()
    found = tenures.address_on(row.id, on, row)
    address = aliased(models.MissionAddress)
    return select(address.address).where(address.id == found).scalar_subquery()


def _set(*members: tuple[str, Any, Any]) -> list[tuple[str, Any, Any, Any]]:
    """Union members told apart by which foreign key of the row is set."""
    return [(name, model, column.is_not(None), column) for name, model, column in members]


def participant(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    members = _set(
        ("Country", models.Country, row.country_id),
        ("Person", models.Person, row.person_id),
        ("Organization", models.Organization, row.organization_id),
        ("Mission", models.Mission, row.mission_id),
    )
    return build.union(members, details)


def accreditee(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    members = _set(
        ("Country", models.Country, row.country_id),
        ("Organization", models.Organization, row.organization_id),
    )
    return build.union(members, details)


def participants(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    role = arguments.get("role")
    if role is not None and not role.isascii():
        raise Uncovered("a role outside ASCII")  # Python's casefold and SQL's lower differ there

    def where(participation: Any) -> Any:
        condition = participation.event_id == row.id
        if role is None:
            return condition
        return and_(condition, func.lower(participation.role) == role.lower())

    return build.many(type_, models.Participation, where, orders.by_id, details, row)


def place(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    target = _object_type(type_)
    pairs: list[tuple[str, Expr]] = []
    for key, group in build.subfields(target, details).items():
        name = group[0].node.name.value
        if name == "__typename":
            pairs.append((key, literal(target.name)))
        elif name == "name":
            pairs.append((key, row.place_name))
        else:
            country = target.fields["country"]
            pairs.append(
                (
                    key,
                    reference(models.Country, "place_country_id")(
                        build, row, group, {}, country.type
                    ),
                )
            )
    return build.json.embed(case((row.place_name.is_(None), None), else_=build.object(pairs)))


def relation_countries(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.many(
        type_,
        models.Country,
        lambda country: or_(country.id == row.country_a_id, country.id == row.country_b_id),
        orders.by_code,
        details,
        row,
    )


def relation_missions(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.many(
        type_,
        models.Mission,
        lambda mission: queries.posts_of_relation(row, mission),
        orders.by_name,
        details,
        row,
    )


def relations(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.many(
        type_,
        models.Relation,
        lambda relation: or_(relation.country_a_id == row.id, relation.country_b_id == row.id),
        orders.by_id,
        details,
        row,
    )


def country_events(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.events(type_, details, arguments, row, queries.country_event_ids)


def relation_events(
    build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.events(type_, details, arguments, row, queries.relation_event_ids)


def participations_of(kind: str) -> Handler:
    def handle(
        build: _Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        return build.participations(type_, details, arguments, kind, row)

    return handle


FIELDS: dict[tuple[str, str], Handler] = {
    ("Country", "id"): global_id("Country"),
    ("Country", "code"): column("code"),
    ("Country", "alpha3"): column("alpha3"),
    ("Country", "name"): column("name"),
    ("Country", "embassies"): missions("country_id", [models.MissionKind.EMBASSY]),
    ("Country", "missions"): missions("country_id"),
    ("Country", "hostedMissions"): missions("host_country_id"),
    ("Country", "relations"): relations,
    ("Country", "events"): country_events,
    ("Mission", "id"): global_id("Mission"),
    ("Mission", "kind"): column("kind"),
    ("Mission", "name"): column("name"),
    ("Mission", "city"): column("city"),
    ("Mission", "opened"): column("opened"),
    ("Mission", "closed"): column("closed"),
    ("Mission", "country"): reference(models.Country, "country_id"),
    ("Mission", "hostCountry"): reference(models.Country, "host_country_id"),
    ("Mission", "addresses"): rows_of(models.MissionAddress, "mission_id", orders.addresses),
    ("Mission", "accreditations"): rows_of(models.Accreditation, "mission_id", orders.by_id),
    ("Mission", "heads"): rows_of(models.HeadOfMission, "mission_id", orders.tenure),
    ("Mission", "head"): head_on,
    ("Mission", "address"): address_on,
    ("Mission", "sources"): sources(models.mission_source),
    ("MissionAddress", "address"): column("address"),
    ("MissionAddress", "city"): column("city"),
    ("MissionAddress", "from"): column("start"),
    ("MissionAddress", "to"): column("end"),
    ("Accreditation", "target"): accreditee,
    ("Accreditation", "from"): column("start"),
    ("Accreditation", "to"): column("end"),
    ("HeadOfMission", "id"): global_id("HeadOfMission"),
    ("HeadOfMission", "title"): column("title"),
    ("HeadOfMission", "ordinal"): column("ordinal"),
    ("HeadOfMission", "start"): column("start"),
    ("HeadOfMission", "end"): column("end"),
    ("HeadOfMission", "ongoing"): flag("ongoing"),
    ("HeadOfMission", "inOfficeOn"): column("held_on"),
    ("HeadOfMission", "person"): reference(models.Person, "person_id"),
    ("HeadOfMission", "mission"): reference(models.Mission, "mission_id"),
    ("HeadOfMission", "sources"): sources(models.head_of_mission_source),
    ("Person", "id"): global_id("Person"),
    ("Person", "name"): column("name"),
    ("Person", "country"): reference(models.Country, "country_id"),
    ("Person", "positions"): rows_of(models.Position, "person_id", orders.office),
    ("Person", "headships"): rows_of(models.HeadOfMission, "person_id", orders.tenure),
    ("Person", "participations"): participations_of("person"),
    ("Person", "quotes"): rows_of(models.Quote, "speaker_id", orders.quotes_of_speaker),
    ("Position", "title"): column("title"),
    ("Position", "start"): column("start"),
    ("Position", "end"): column("end"),
    ("Position", "inOfficeOn"): column("held_on"),
    ("Position", "country"): reference(models.Country, "country_id"),
    ("Position", "organization"): reference(models.Organization, "organization_id"),
    ("Organization", "id"): global_id("Organization"),
    ("Organization", "name"): column("name"),
    ("Organization", "kind"): column("kind"),
    ("Organization", "founded"): column("founded"),
    ("Organization", "country"): reference(models.Country, "country_id"),
    ("Organization", "participations"): participations_of("organization"),
    ("Participation", "role"): column("role"),
    ("Participation", "participant"): participant,
    ("Participation", "event"): reference(models.Event, "event_id"),
    ("Event", "id"): global_id("Event"),
    ("Event", "title"): column("title"),
    ("Event", "kind"): column("kind"),
    ("Event", "date"): column("date"),
    ("Event", "endDate"): column("end_date"),
    ("Event", "summary"): column("summary"),
    ("Event", "version"): column("version"),
    ("Event", "place"): place,
    ("Event", "participants"): participants,
    ("Event", "countries"): linked(
        models.Country, models.event_country, "event_id", "country_id", orders.by_code
    ),
    ("Event", "quotes"): rows_of(models.Quote, "event_id", orders.by_id),
    ("Event", "figures"): rows_of(models.Figure, "event_id", orders.by_id),
    ("Event", "sources"): sources(models.event_source),
    ("Quote", "text"): column("text"),
    ("Quote", "date"): column("date"),
    ("Quote", "speaker"): reference(models.Person, "speaker_id"),
    ("Quote", "event"): reference(models.Event, "event_id"),
    ("Figure", "label"): column("label"),
    ("Figure", "value"): number("value"),
    ("Figure", "unit"): column("unit"),
    ("Source", "title"): column("title"),
    ("Source", "section"): column("section"),
    ("Source", "url"): column("url"),
    ("Relation", "id"): global_id("Relation"),
    ("Relation", "established"): column("established"),
    ("Relation", "countries"): relation_countries,
    ("Relation", "missions"): relation_missions,
    ("Relation", "organizations"): linked(
        models.Organization,
        models.relation_organization,
        "relation_id",
        "organization_id",
        orders.by_name,
    ),
    ("Relation", "events"): relation_events,
    ("Relation", "sources"): sources(models.relation_source),
}


# The root fields ------------------------------------------------------------------------

NODE_MODELS: dict[str, Any] = {
    "Country": models.Country,
    "Mission": models.Mission,
    "HeadOfMission": models.HeadOfMission,
    "Person": models.Person,
    "Organization": models.Organization,
    "Event": models.Event,
    "Relation": models.Relation,
}


def _node(build: _Build, global_id_: str, details: Details) -> Expr:
    found = parse_id(global_id_)
    if found is None:
        raise Uncovered("a malformed global ID")
    type_name, pk = found
    if type_name == "Change":
        raise Uncovered("Change nodes")
    model = NODE_MODELS.get(type_name)
    if model is None:
        return build.json.null()
    target = build.schema.get_type(type_name)
    assert isinstance(target, GraphQLObjectType)
    return build.one(target, model, lambda row: row.id == pk, details)


def root_node(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return _node(build, arguments["id"], details)


def root_nodes(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids = arguments["ids"]
    if len(ids) > MAX_KEYS:
        raise Uncovered("more IDs than one array takes")
    return build.json.array_of([_node(build, value, details) for value in ids])


def root_country(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    found = find_iso_country(arguments["code"])
    if found is None:
        return build.json.null()
    return build.one(type_, models.Country, lambda row: row.code == found.code, details)


def _search(text: str | None, argument: str) -> SearchWords | None:
    """The words of a search argument, as the resolvers read them."""
    from schema.query import search_words

    try:
        return search_words(text, argument)
    except GraphQLError as error:
        raise Uncovered(error.message) from None


def root_countries(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids = queries.country_ids(_search(arguments.get("search"), "search"))
    spec = ConnectionSpec("countries", models.Country, ids, queries.COUNTRY_KEYS)
    return build.connection(type_, spec, details, arguments.get("first"), arguments.get("after"))


def _code(value: str | None) -> str | None:
    if value is None:
        return None
    found = find_iso_country(value)
    if found is None:
        raise Uncovered("an unknown country code")
    return found.code


def root_missions(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids = queries.mission_ids(
        tuple(arguments.get("kind") or ()),
        _code(arguments.get("country")),
        _code(arguments.get("hostCountry")),
    )
    spec = ConnectionSpec("missions", models.Mission, ids, queries.MISSION_KEYS)
    return build.connection(type_, spec, details, arguments.get("first"), arguments.get("after"))


def named(model: Any, kind: str, name: str) -> RootHandler:
    def handle(
        build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        ids = queries.named_ids(model, kind, _search(arguments.get("search"), "search"))
        spec = ConnectionSpec(name, model, ids, queries.by_name_keys(model))
        return build.connection(
            type_, spec, details, arguments.get("first"), arguments.get("after")
        )

    return handle


def root_events(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.events(type_, details, arguments)


def root_relation(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    between = arguments["between"]
    if len(between) != 2:
        raise Uncovered("'between' does not hold two codes")
    first, second = (_code(code) for code in between)
    if first == second:
        raise Uncovered("'between' names one country twice")
    assert first is not None and second is not None
    one, other = queries.country_pk(first), queries.country_pk(second)

    def where(row: Any) -> Any:
        return or_(
            and_(row.country_a_id == one, row.country_b_id == other),
            and_(row.country_a_id == other, row.country_b_id == one),
        )

    return build.one(type_, models.Relation, where, details)


def root_search(
    build: _Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    from schema.query import search_page

    ids, keys = search_page(_search(arguments["text"], "text"))

    def result(build: _Build, found: Any, group: Details) -> Expr:
        kind, pk = found.c.k1, found.c.k2
        members = [
            (type_name, NODE_MODELS[type_name], kind == stored, pk)
            for stored, type_name in SEARCH_TYPES.items()
        ]
        return build.union(members, group)

    spec = ConnectionSpec("search", None, ids, keys, node=result, exact_cursors=False)
    return build.connection(type_, spec, details, arguments.get("first"), arguments.get("after"))


ROOT_FIELDS: dict[str, RootHandler] = {
    "search": root_search,
    "node": root_node,
    "nodes": root_nodes,
    "country": root_country,
    "countries": root_countries,
    "missions": root_missions,
    "people": named(models.Person, "person", "people"),
    "organizations": named(models.Organization, "organization", "organizations"),
    "events": root_events,
    "relation": root_relation,
}
