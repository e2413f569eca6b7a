"""The Country type."""

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from graphql import GraphQLError
from sqlalchemy import exists, or_
from sqlalchemy.orm import aliased

from db import models, orders, queries
from db.country_names import language
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.compiled import fields
from schema.context import Info
from schema.enums import CodeScheme, MissionKind
from schema.ids import encode_id
from schema.linked_fields import Only, children, linked, matching, own_logic
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
    description="A country: a state or territory that ISO 3166-1 lists, Kosovo, or a state that no longer exists (Czechoslovakia, Prussia), identified by its code."
)
class Country(Node):
    row: strawberry.Private[models.Country]
    code: str = column(
        "code",
        description="ISO 3166-1 alpha-2 code, upper case: BE, MY. A former state's is four letters: ISO 3166-3's where ISO gave it one (CSHH), else the project's own, X and three letters (XPRU), which ISO can never assign.",
    )
    alpha3: str = column(
        "alpha3",
        description="ISO 3166-1 alpha-3 code: BEL, MYS. A former state's: the one ISO once gave it (CSK), else its code.",
    )
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
                description="A BCP 47 language tag in any case, such as 'nl', 'ms', 'pt-BR' or 'en-GB', read along its parts down to the language (en-GB → en) until one has translated names; a language without any is a BAD_USER_INPUT error."
            ),
        ] = None,
    ) -> str:
        if lang is None:
            return self.row.name
        found = await info.context.loaders.country_name.load((self.row.id, locale_of(lang)))
        return found or self.row.name

    # States that no longer exist: years and neighbours in time from the Office of the
    # Historian's gazetteer (seed/history/former_states.py).
    former: bool = column(
        "former",
        description="Whether this is a state that no longer exists (Czechoslovakia, Prussia); `countries` lists these only when asked.",
    )
    long_name: str | None = column(
        "long_name",
        description="A former state's long name, where the Office of the Historian's gazetteer gives one: 'Kingdom of Prussia'.",
    )
    existed_from: PartialDate | None = column(
        "existed_from",
        description="The year a former state began, as the Office of the Historian's gazetteer gives it; null for today's countries.",
    )
    existed_until: PartialDate | None = column(
        "existed_until",
        description="The year a former state ended, as the Office of the Historian's gazetteer gives it; null for today's countries.",
    )
    predecessors: list["Country"] = linked(
        models.country_succession,
        "successor_id",
        "predecessor_id",
        order=orders.by_code,
        description="The states this one came from, as the gazetteer records them (Austria-Hungary for Czechoslovakia); recorded for former states and the countries they touch.",
    )
    successors: list["Country"] = linked(
        models.country_succession,
        "predecessor_id",
        "successor_id",
        order=orders.by_code,
        description="The states that came from this one (the Czech Republic and Slovakia for Czechoslovakia); recorded for former states and the countries they touch.",
    )

    name: str = own_logic(
        _name,
        fields.country_name,
        description="The country's name as people write it ('Palestine', 'Vatican City', 'Turkey'): in English, or in the language asked for where ISO's translations (through pycountry) or CLDR's (through Babel) give one, else in English.",
    )
    iso_name: str | None = column(
        "iso_name",
        description="ISO 3166-1's name for the country, in its sorting form where it has one: 'Palestine, State of'. Null for a former state ISO 3166-1 does not list.",
    )
    official_name: str | None = column(
        "official_name",
        description="The country's official name as ISO 3166-1 gives it ('Republic of Türkiye'); null where ISO gives none.",
    )
    known_as: list[str] = column(
        "known_as",
        written=fields.stored,
        description="The other English names the country is known by, former and common ('Czech Republic', 'Burma', 'Ivory Coast'): ISO's names, its Wikidata items' labels, CLDR's and the names ISO 3166-3 withdrew for it. Searches find the country by these.",
    )

    embassies: list[MissionRef] = children(
        models.Mission.country_id,
        order=orders.by_name,
        only=Only(
            models.Mission.kind,
            "kind",
            Annotated[
                list[MissionKind] | None,
                strawberry.argument(
                    description="The kinds of post to list instead of embassies alone: [EMBASSY, HIGH_COMMISSION, APOSTOLIC_NUNCIATURE] gives every post at the head of a country's representation."
                ),
            ],
            fixed=(models.MissionKind.EMBASSY,),
        ),
        description="Posts of kind EMBASSY this country keeps abroad, unless `kind` asks for others. High commissions (between Commonwealth members) and apostolic nunciatures (the Holy See's) are their own kinds and not listed here unless asked for; `missions` lists every post.",
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
