"""How each field that is not a plain column becomes SQL: references, lists, connections, unions.

Plain column fields need no entry: the Strawberry types declare them (schema.columns).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLType
from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from db import event_tallies, models, orders, queries, tenures
from db.countries import language
from schema.compiled.compiler import (
    Build,
    Details,
    Handler,
    Uncovered,
    object_type,
)
from schema.compiled.json_sql import Expr
from schema.ids import CHANGE_TARGETS


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

    def __call__(
        self,
        build: Build,
        row: Any,
        details: Details,
        arguments: dict[str, Any],
        type_: GraphQLType,
    ) -> Expr:
        return self.handle(build, row, details, arguments, type_)


def rows_of(model: Any, attribute: str, order: Callable[[Any], orders.Order]) -> Listed:
    """The rows of `model` whose column `attribute` points at the row, in `order`."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        return build.many(
            type_, model, lambda target: getattr(target, attribute) == row.id, order, details, row
        )

    return Listed(handle, ((getattr(model, attribute),),))


def linked(
    model: Any, link: Any, subject: str, target: str, order: Callable[[Any], orders.Order]
) -> Listed:
    """Rows of `model` linked to the row through a link table."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        def through(rows: Select[Any], found: Any) -> Select[Any]:
            return rows.join(link, link.c[target] == found.id)

        return build.many(
            type_, model, lambda _: link.c[subject] == row.id, order, details, row, through
        )

    return Listed(handle, ((link.c[subject],),))


def _accredited(mission: Any, country: Any) -> Any:
    """Whether a post is accredited to a country."""
    link = aliased(models.Accreditation)
    condition = exists().where(link.mission_id == mission.id, link.country_id == country.id)
    return condition.correlate_except(link)  # the country is two levels up: correlate it too


def missions(attribute: str | None, fixed: Sequence[Any] = ()) -> Listed:
    """A country's posts abroad, posts hosted (by the post's column `attribute`) or posts
    accredited to it (None), optionally of some kinds."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        kinds = list(fixed) or list(arguments.get("kind") or ())

        def where(mission: Any) -> Any:
            if attribute is None:
                condition = _accredited(mission, row)
            else:
                condition = getattr(mission, attribute) == row.id
            return and_(condition, mission.kind.in_(kinds)) if kinds else condition

        return build.many(type_, models.Mission, where, orders.by_name, details, row)

    grouped = (
        models.Accreditation.country_id if attribute is None else getattr(models.Mission, attribute)
    )
    where = models.Mission.kind.in_(fixed) if fixed and attribute is not None else None
    return Listed(handle, ((grouped,),), where)


def embedded(present: Callable[[Any], Any] | None = None) -> Handler:
    """An object whose fields are columns of the row itself; null where `present` is false."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        document = build.document(object_type(type_), row, details)
        if present is None:
            return build.json.embed(document)
        return build.json.embed(case((present(row), document), else_=None))

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


def head_on(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    on = arguments.get("asOf")  # None: today, when the statement runs
    found = tenures.head_on(row.id, on, row)
    return build.one(type_, models.HeadOfMission, lambda head: head.id == found, details)


def address_on(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    on = arguments.get("asOf")  # None: today, when the statement runs
    found = tenures.address_on(row.id, on, row)
    address = aliased(models.MissionAddress)
    return select(address.address).where(address.id == found).scalar_subquery()


def _set(*members: tuple[str, Any, Any]) -> list[tuple[str, Any, Any, Any]]:
    """Union members told apart by which foreign key of the row is set."""
    return [(name, model, column.is_not(None), column) for name, model, column in members]


def participant(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    members = _set(
        ("Country", models.Country, row.country_id),
        ("Person", models.Person, row.person_id),
        ("Organization", models.Organization, row.organization_id),
        ("Mission", models.Mission, row.mission_id),
    )
    return build.union(members, details)


def accreditee(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    members = _set(
        ("Country", models.Country, row.country_id),
        ("Organization", models.Organization, row.organization_id),
        ("Jurisdiction", models.Jurisdiction, row.jurisdiction_id),
    )
    return build.union(members, details)


def _participants(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    role = arguments.get("role")

    def where(participation: Any) -> Any:
        condition = participation.event_id == row.id
        if role is None:
            return condition
        # Folded once here, as each stored role was when it was written (db.models.event).
        return and_(condition, participation.role_folded == role.casefold())

    return build.many(type_, models.Participation, where, orders.by_id, details, row)


def place(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    """An event's place, built from the event's own columns: its name and its country."""
    target = object_type(type_)

    def value(name: str, group: Details) -> Expr:
        if name == "name":
            name_column: Expr = row.place_name
            return name_column
        country = target.fields["country"]
        return reference(models.Country, "place_country_id")(build, row, group, {}, country.type)

    document = build.built(target, details, value)
    return build.json.embed(case((row.place_name.is_(None), None), else_=document))


def _relation_countries(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.many(
        type_,
        models.Country,
        lambda country: or_(country.id == row.country_a_id, country.id == row.country_b_id),
        orders.by_code,
        details,
        row,
    )


def _relation_missions(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.many(
        type_,
        models.Mission,
        lambda mission: queries.posts_of_relation(row, mission),
        orders.by_name,
        details,
        row,
    )


def _relations(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
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
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.events(type_, details, arguments, row, queries.country_event_ids)


def relation_events(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    return build.events(type_, details, arguments, row, queries.relation_event_ids)


def relation_event_tallies(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    """A relation's events counted by decade and kind, as a list of objects in that order."""
    grouped = event_tallies.tallies(row, keyed=False).correlate(row).subquery()
    document = build.built(object_type(type_), details, lambda name, _: grouped.c[name])
    rows = select(build.json.aggregate(document, [grouped.c.decade, grouped.c.kind]))
    return build.json.embed(rows.select_from(grouped).scalar_subquery())


def participations_of(kind: str) -> Handler:
    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        return build.participations(type_, details, arguments, kind, row)

    return handle


participants = Listed(_participants, ((models.Participation.event_id,),))
relation_countries = Listed(_relation_countries, fixed=2)
relation_missions = Listed(
    _relation_missions,
    (
        (models.Mission.country_id, models.Mission.host_country_id),
        (models.Mission.host_country_id, models.Mission.country_id),
    ),
)
relations = Listed(_relations, ((models.Relation.country_a_id,), (models.Relation.country_b_id,)))


def change_at(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    """When a change was made, as the DateTime scalar writes it."""
    return build.json.moment(row.at)


def change_target(
    build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
) -> Expr:
    """The global ID of what a change changed: its kind's type name and its row id."""
    kinds = [
        (row.target_type == kind, build.json.global_id(type_name, row.target_id))
        for kind, type_name in CHANGE_TARGETS.items()
    ]
    return case(*kinds, else_=None)


def snapshot(attribute: str) -> Handler:
    """A change's JSON snapshot (before or after), as it was stored."""

    def handle(
        build: Build, row: Any, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        build.empties = True  # a stored value may hold anything
        return build.json.stored(getattr(row, attribute))

    return handle
