"""How the fields of Query with logic of their own become SQL (the connections that only
page through a selection are declared once, by schema.connection.paged)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, GraphQLType
from sqlalchemy import and_, or_

from db import models
from db.kinds import SEARCHED
from schema.arguments import country_pair
from schema.compiled.compiler import (
    Build,
    Details,
    Uncovered,
    checked,
)
from schema.compiled.json_sql import MAX_KEYS, Expr
from schema.ids import parse_id


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


def root_relation(
    build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    pair = checked(lambda: country_pair(arguments["between"]))
    if pair is None:
        return build.json.null()
    first, second = pair
    one, other = build.country_pk(first), build.country_pk(second)

    def where(row: Any) -> Any:
        return or_(
            and_(row.country_a_id == one, row.country_b_id == other),
            and_(row.country_a_id == other, row.country_b_id == one),
        )

    return build.one(type_, models.Relation, where, details)


def search_result(build: Build, found: Any, group: Details) -> Expr:
    """A search result from its page row: the object of the kind and id the row names."""
    kind, pk = found.c.k1, found.c.k2
    members = [
        (searched.type_name, searched.model, kind == searched.name, pk) for searched in SEARCHED
    ]
    return build.union(members, group)
