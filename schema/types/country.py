"""The Country type."""

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Annotated

import strawberry
from graphql import GraphQLError

from db import models, orders
from db.countries import language
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.compiled import fields
from schema.context import Info
from schema.enums import CodeScheme, MissionKind
from schema.ids import encode_id
from schema.relations import children, compiled_as, linked
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


async def _posts(loading: Awaitable[list[models.Mission]], kind: KindFilter) -> list[MissionRef]:
    """The posts a loader finds, of the kinds asked for (all when none are)."""
    from schema.types.mission import Mission

    return [Mission.from_row(row) for row in await loading if not kind or row.kind in kind]


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

    @strawberry.field(
        description="The country's common name: in English, or in the language asked for where pycountry's translations give one (else in English).",
        metadata=compiled_as(fields.country_name),
    )
    async def name(
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

    identifiers: list[CountryCode] = children(
        models.CountryIdentifier.country_id,
        order=orders.by_scheme,
        description="The country's codes in the schemes researchers join on, by scheme: ISO, Wikidata, Gleditsch and Ward.",
    )

    @strawberry.field(
        description="Embassies this country keeps abroad.",
        metadata=compiled_as(fields.missions("country_id", [models.MissionKind.EMBASSY])),
    )
    async def embassies(self, info: Info) -> list[MissionRef]:
        embassies: list[Mission] = await self.missions(info, [MissionKind.EMBASSY])
        return embassies

    @strawberry.field(
        description="Every post this country keeps abroad, optionally of some kinds only.",
        metadata=compiled_as(fields.missions("country_id")),
    )
    async def missions(self, info: Info, kind: KindFilter = None) -> list[MissionRef]:
        return await _posts(info.context.loaders.missions_by_country.load(self.row.id), kind)

    @strawberry.field(
        description="Posts other countries keep in this country.",
        metadata=compiled_as(fields.missions("host_country_id")),
    )
    async def hosted_missions(self, info: Info, kind: KindFilter = None) -> list[MissionRef]:
        return await _posts(info.context.loaders.missions_by_host.load(self.row.id), kind)

    @strawberry.field(
        description="Posts accredited to this country, wherever they are: an embassy in Kuala Lumpur that also covers Brunei is one of Brunei's.",
        metadata=compiled_as(fields.missions(None)),
    )
    async def accredited_missions(self, info: Info, kind: KindFilter = None) -> list[MissionRef]:
        return await _posts(info.context.loaders.missions_accredited.load(self.row.id), kind)

    @strawberry.field(
        description="This country's bilateral relations, one per partner country.",
        metadata=compiled_as(fields.relations),
    )
    async def relations(self, info: Info) -> list[RelationRef]:
        from schema.types.relation import Relation

        rows = await info.context.loaders.relations_by_country.load(self.row.id)
        return [Relation.from_row(row) for row in rows]

    events: EventConnectionRef = lists.events(
        lambda loaders: (loaders.country_events, loaders.country_event_counts),
        compiled=fields.country_events,
        description="Events this country is involved in, oldest first unless ordered otherwise.",
    )
