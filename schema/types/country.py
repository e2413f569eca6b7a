"""The Country type."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import exists, or_
from sqlalchemy.orm import aliased

from db import models, orders, queries
from db.countries import language
from schema.columns import column, from_columns
from schema.compiled import fields
from schema.context import Info
from schema.enums import CodeScheme, MissionKind
from schema.ids import encode_id
from schema.linked_fields import Only, children, matching, own_logic
from schema.types import lists
from schema.types.node import Node

if TYPE_CHECKING:
    from schema.types.event import EventConnection, EventFilter, EventOrder
    from schema.types.mission import Mission
    from schema.types.relation import Relation

MissionRef = Annotated["Mission", strawberry.lazy("schema.types.mission")]
RelationRef = Annotated["Relation", strawberry.lazy("schema.types.relation")]
EventConnectionRef = Annotated["EventConnection", strawberry.lazy("schema.types.event")]
EventFilterRef = Annotated["EventFilter", strawberry.lazy("schema.types.event")]
EventOrderRef = Annotated["EventOrder", strawberry.lazy("schema.types.event")]


@strawberry.type(description="A country's code in one scheme.")
class CountryCode:
    scheme: CodeScheme = column("scheme", description="The scheme the code belongs to.")
    value: str = column("value", description="The code, as the scheme writes it: 'BEL', '056'.")

    @classmethod
    def from_row(cls, row: models.CountryIdentifier) -> "CountryCode":
        return from_columns(cls, row)


def locale_of(lang: str) -> str:
    """The locale a `lang` argument names; a BAD_USER_INPUT error if none has translations."""
    found = language(lang)
    if found is None:
        raise GraphQLError(
            f"Argument 'lang' is not a language with translated country names: {lang[:20]!r}.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    return found


# The `kind` argument of a country's lists of posts.
KindFilter = Annotated[
    list[MissionKind] | None, strawberry.argument(description="Only posts of these kinds.")
]
OF_KINDS = Only(models.Mission.kind, "kind", KindFilter)


def accredited(country: Any, mission: Any) -> Any:
    """Whether a post is accredited to a country: asked of each post, so that a post accredited
    to a country twice (over two periods) is listed once."""
    link = aliased(models.Accreditation)
    condition = exists().where(link.mission_id == mission.id, link.country_id == country.id)
    return condition.correlate_except(link)  # the country is two levels up: correlate it too


def relations_of(country: Any, relation: Any) -> Any:
    """Whether a relation is one of a country's: the country is either of its two."""
    return or_(relation.country_a_id == country.id, relation.country_b_id == country.id)


@strawberry.type(
    description="A country: a state or territory that ISO 3166-1 lists, or Kosovo, identified by its code."
)
class Country(Node):
    row: strawberry.Private[models.Country]
    code: str = column("code", description="ISO 3166-1 alpha-2 code, upper case: BE, MY.")
    alpha3: str = column("alpha3", description="ISO 3166-1 alpha-3 code: BEL, MYS.")
    wikidata: str | None = column(
        "wikidata", description="The country's Wikidata ID: 'Q31' for Belgium."
    )

    @classmethod
    def from_row(cls, row: models.Country) -> "Country":
        global_id = strawberry.ID(encode_id("Country", row.id))
        return from_columns(cls, row, id=global_id, row=row)

    identifiers: list[CountryCode] = children(
        models.CountryIdentifier.country_id,
        order=orders.by_scheme,
        description="The country's codes in the schemes researchers join on, by scheme: ISO, Wikidata, Gleditsch and Ward.",
    )

    events: EventConnectionRef = lists.events(
        queries.country_event_ids,
        description="Events this country is involved in, oldest first unless ordered otherwise.",
    )

    # Its own logic: a translation looked up by (country, locale), falling back to English;
    # the resolvers word the error for an unknown language, the compiled form leaves it to them.
    async def _name(
        self,
        info: Info,
        lang: Annotated[
            str | None,
            strawberry.argument(
                description="A language tag with translations, such as 'nl', 'ms' or 'pt-BR'; an unknown one is a BAD_USER_INPUT error."
            ),
        ] = None,
    ) -> str:
        if lang is None:
            return self.row.name
        found = await info.context.loaders.country_name.load((self.row.id, locale_of(lang)))
        return found or self.row.name

    name: str = own_logic(
        _name,
        fields.country_name,
        description="The country's common name: in English, or in the language asked for where pycountry's translations give one (else in English).",
    )

    embassies: list[MissionRef] = children(
        models.Mission.country_id,
        order=orders.by_name,
        only=Only(models.Mission.kind, fixed=(models.MissionKind.EMBASSY,)),
        description="Embassies this country keeps abroad.",
    )
    missions: list[MissionRef] = children(
        models.Mission.country_id,
        order=orders.by_name,
        only=OF_KINDS,
        description="Every post this country keeps abroad, optionally of some kinds only.",
    )
    hosted_missions: list[MissionRef] = children(
        models.Mission.host_country_id,
        order=orders.by_name,
        only=OF_KINDS,
        description="Posts other countries keep in this country.",
    )
    accredited_missions: list[MissionRef] = matching(
        models.Country,
        models.Mission,
        accredited,
        order=orders.by_name,
        groupings=((models.Accreditation.country_id,),),
        only=OF_KINDS,
        description="Posts accredited to this country, wherever they are: an embassy in Kuala Lumpur that also covers Brunei is one of Brunei's.",
    )
    relations: list[RelationRef] = matching(
        models.Country,
        models.Relation,
        relations_of,
        order=orders.by_id,
        groupings=((models.Relation.country_a_id,), (models.Relation.country_b_id,)),
        description="This country's bilateral relations, one per partner country.",
    )
