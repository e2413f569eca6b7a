"""How the fields of Query become SQL, and which types are nodes."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, GraphQLType
from sqlalchemy import and_, or_

from db import models, queries
from db.countries import find_iso_country
from db.search import SEARCH_TYPES, SearchTextError, SearchWords, search_page, search_words
from schema.compiled.compiler import (
    Build,
    ConnectionSpec,
    Details,
    RootHandler,
    Uncovered,
    forwards,
)
from schema.compiled.json_sql import MAX_KEYS, Expr
from schema.ids import CHANGE_KINDS, parse_id


def _node(build: Build, global_id_: str, details: Details) -> Expr:
    found = parse_id(global_id_)
    if found is None:
        raise Uncovered("a malformed global ID")
    type_name, pk = found
    model = build.nodes.get(type_name)
    if model is None:
        return build.json.null()
    target = build.schema.get_type(type_name)
    assert isinstance(target, GraphQLObjectType)
    return build.one(target, model, lambda row: row.id == pk, details)


def root_node(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return _node(build, arguments["id"], details)


def root_nodes(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids = arguments["ids"]
    if len(ids) > MAX_KEYS:
        raise Uncovered("more IDs than one array takes")
    return build.json.array_of([_node(build, value, details) for value in ids])


def root_country(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    found = find_iso_country(arguments["code"], arguments.get("scheme"))
    if found is None:
        return build.json.null()
    return build.one(type_, models.Country, lambda row: row.code == found.code, details)


def root_person_by_historian_id(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    historian_id = arguments["historianId"]
    return build.one(type_, models.Person, lambda row: row.historian_id == historian_id, details)


def _search(text: str | None) -> SearchWords | None:
    """The words of a search argument, as the resolvers read them."""
    try:
        return search_words(text)
    except SearchTextError as error:
        raise Uncovered(str(error)) from None


def root_countries(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids = queries.country_ids(_search(arguments.get("search")), bool(arguments.get("former")))
    spec = ConnectionSpec("countries", models.Country, ids, queries.COUNTRY_KEYS)
    return build.connection(type_, spec, details, *forwards(arguments))


def _code(value: str | None) -> str | None:
    if value is None:
        return None
    found = find_iso_country(value)
    if found is None:
        raise Uncovered("an unknown country code")
    return found.code


def root_missions(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids = queries.mission_ids(
        tuple(arguments.get("kind") or ()),
        _code(arguments.get("country")),
        _code(arguments.get("hostCountry")),
    )
    spec = ConnectionSpec("missions", models.Mission, ids, queries.MISSION_KEYS)
    return build.connection(type_, spec, details, *forwards(arguments))


def named(model: Any, kind: str, name: str) -> RootHandler:
    def handle(
        build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        ids = queries.named_ids(model, kind, _search(arguments.get("search")))
        spec = ConnectionSpec(name, model, ids, queries.by_name_keys(model))
        return build.connection(type_, spec, details, *forwards(arguments))

    return handle


def root_events(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.events(type_, details, arguments)


def root_relation(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    between = arguments["between"]
    if len(between) != 2:
        raise Uncovered("'between' does not hold two codes")
    first, second = (_code(code) for code in between)
    if first == second:
        raise Uncovered("'between' names one country twice")
    assert first is not None and second is not None
    one, other = build.country_pk(first), build.country_pk(second)

    def where(row: Any) -> Any:
        return or_(
            and_(row.country_a_id == one, row.country_b_id == other),
            and_(row.country_a_id == other, row.country_b_id == one),
        )

    return build.one(type_, models.Relation, where, details)


def root_search(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    ids, keys = search_page(_search(arguments["text"]))

    def result(build: Build, found: Any, group: Details) -> Expr:
        kind, pk = found.c.k1, found.c.k2
        members = [
            (type_name, build.nodes[type_name], kind == stored, pk)
            for stored, type_name in SEARCH_TYPES.items()
        ]
        return build.union(members, group)

    spec = ConnectionSpec("search", None, ids, keys, node=result)
    return build.connection(type_, spec, details, *forwards(arguments))


PEOPLE = named(models.Person, "person", "people")
ORGANIZATIONS = named(models.Organization, "organization", "organizations")


def root_changes(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    target = arguments.get("target")
    found = None if target is None else parse_id(target)
    if target is not None and found is None:
        raise Uncovered("a malformed global ID")  # the resolvers word the error
    ids = queries.change_ids(None if found is None else (CHANGE_KINDS.get(found[0]), found[1]))
    spec = ConnectionSpec("changes", models.Change, ids, queries.CHANGE_KEYS)
    return build.connection(type_, spec, details, *forwards(arguments))
