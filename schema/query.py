"""The root Query: entry points into the graph."""

import inspect
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLType
from sqlalchemy import select, true
from sqlalchemy.orm import InstrumentedAttribute

from db import models, orders, quality, queries
from db.countries import find_iso_country
from db.kinds import BY_NAME, logged_kind
from db.pages import Keyset
from schema.arguments import country_code, country_pair, search_words
from schema.compiled import roots
from schema.compiled.compiler import Build, Details, checked
from schema.compiled.json_sql import Expr
from schema.connection import (
    AFTER,
    BEFORE,
    FIRST,
    LAST,
    Connection,
    Listing,
    paged,
)
from schema.context import Info
from schema.enums import CodeScheme, MissionKind, QualityIssueKind
from schema.ids import decode_id
from schema.linked_fields import compiled_as, given_type, own_logic, with_arguments
from schema.nodes import load_node, load_nodes, load_refs
from schema.types.change import ChangeConnection
from schema.types.country import Country, relations_of
from schema.types.dataset import Dataset
from schema.types.event import Event, EventConnection
from schema.types.lists import EventFilterArgument, EventOrderArgument, events_asked
from schema.types.mission import Mission
from schema.types.node import Node
from schema.types.organization import Organization
from schema.types.person import Person
from schema.types.quality import QualityIssueConnection, QualityIssueCount, issue_connection
from schema.types.rate_limit import RateLimit
from schema.types.relation import Relation

T = TypeVar("T")
C = TypeVar("C", bound=Connection[Any])

SearchResult = Annotated[
    Country | Mission | Person | Organization | Event,
    strawberry.union("SearchResult", description="Anything full-text search can find."),
]


@strawberry.type(description="A page of countries.")
class CountryConnection(Connection[Country]):
    pass


@strawberry.type(description="A page of posts.")
class MissionConnection(Connection[Mission]):
    pass


@strawberry.type(description="A page of people.")
class PersonConnection(Connection[Person]):
    pass


@strawberry.type(description="A page of organizations.")
class OrganizationConnection(Connection[Organization]):
    pass


@strawberry.type(description="A page of search results, best match first.")
class SearchResultConnection(Connection[SearchResult]):
    pass


def found_by(
    key: InstrumentedAttribute[Any], lookup: Callable[..., Any], *, description: str
) -> Any:
    """A field of Query that gives the row whose column `key` holds the value `lookup` finds
    in the field's own arguments (its parameters); null where it finds none. Declared once:
    the resolver loads the row through the request's loaders, the compiled form selects it."""
    model = key.class_

    async def resolve(info: Info, **arguments: Any) -> Any:
        value = lookup(**arguments)
        row = None if value is None else await info.context.loaders.row_by(key).load(value)
        return None if row is None else given_type(info).from_row(row)

    def compiled(
        build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        value = checked(lambda: lookup(**build.given(field, arguments)))
        if value is None:
            return build.json.null()
        return build.one(type_, model, lambda row: getattr(row, key.key) == value, details)

    with_arguments(resolve, list(inspect.signature(lookup).parameters.values()), root=False)
    field: Any = strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )
    return field


def country_lookup(
    code: Annotated[
        str,
        strawberry.argument(description="A code: MY, mys, 458, Q833; or one of `scheme`."),
    ],
    scheme: Annotated[
        CodeScheme | None,
        strawberry.argument(
            description="The scheme of `code`, where codes of several schemes look alike: GLEDITSCH_WARD 840 is the Philippines, ISO_NUMERIC 840 the United States."
        ),
    ] = None,
) -> str | None:
    """The alpha-2 code of the country a code names."""
    found = find_iso_country(code, scheme)
    return None if found is None else found.code


def person_lookup(
    historian_id: Annotated[
        str, strawberry.argument(description="The Office of the Historian's id of the person.")
    ],
) -> str:
    """The id as given: a person's is stored as the Office writes it."""
    return historian_id


def every(model: Any, order: Callable[[Any], orders.Order], *, description: str) -> Any:
    """A field of Query that lists every row of a model, in `order` (a short list: the
    datasets). Declared once: the resolver reads the rows, the compiled form builds them."""

    async def resolve(info: Info) -> list[Any]:
        rows = await info.context.loaders.reader.scalars(select(model).order_by(*order(model)))
        build = given_type(info).from_row
        return [build(row) for row in rows]

    def compiled(
        build: Build, details: Details, arguments: dict[str, Any], type_: GraphQLType
    ) -> Expr:
        return build.many(type_, model, lambda _: true(), order, details, None)

    field: Any = strawberry.field(
        resolver=resolve, description=description, metadata=compiled_as(compiled)
    )
    return field


# What each connection of Query pages through, from the field's own arguments: one function
# per field, which both the resolver and the compiled form call (schema.connection.paged).


def country_listing(
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Only countries with a word starting with each of these words in one of"
            " their names (the display, ISO and official names, the names they are known by, their"
            ' names in other languages) or their codes: "Turkey", "czech", "Belgique".'
            " Listed by code, as without a search."
        ),
    ] = None,
    former: Annotated[
        bool,
        strawberry.argument(
            description="Also list the states that no longer exist (Czechoslovakia, Prussia); by default only today's countries."
        ),
    ] = False,
) -> Listing:
    words = search_words(search, "search")
    return Listing(lambda _: queries.country_ids(words, former), queries.COUNTRIES, models.Country)


def mission_listing(
    kind: Annotated[
        list[MissionKind] | None, strawberry.argument(description="Only posts of these kinds.")
    ] = None,
    country: Annotated[
        str | None,
        strawberry.argument(description="Only posts kept by the country with this ISO code."),
    ] = None,
    host_country: Annotated[
        str | None,
        strawberry.argument(description="Only posts in the country with this ISO code."),
    ] = None,
) -> Listing:
    kinds = tuple(kind or ())
    sender = country_code(country, "country")
    host = country_code(host_country, "hostCountry")
    return Listing(
        lambda _: queries.mission_ids(kinds, sender, host), queries.MISSIONS, models.Mission
    )


def named_listing(
    model: type[models.Person] | type[models.Organization], keyset: Keyset
) -> Callable[..., Listing]:
    """Every person, or every organization, by name, optionally only those matching a search."""
    noun = model.__tablename__

    def listing(
        search: Annotated[
            str | None,
            strawberry.argument(
                description=f"Words the {noun}'s name must contain, as word starts."
            ),
        ] = None,
    ) -> Listing:
        words = search_words(search, "search")
        return Listing(lambda _: queries.named_ids(model, noun, words), keyset, model)

    return listing


def event_listing(
    filter: EventFilterArgument = None, order_by: EventOrderArgument = None
) -> Listing:
    criteria, _, keyset = events_asked(filter, order_by)
    return Listing(lambda pk_of: queries.event_ids(criteria, pk_of), keyset, models.Event)


def search_listing(
    text: Annotated[
        str,
        strawberry.argument(
            description="The words to look for; each must match the start of a word."
        ),
    ],
) -> Listing:
    ids, keyset = queries.search_results(search_words(text, "text"))
    return Listing(lambda _: ids, keyset, None)


def search_nodes(info: Info) -> Callable[[Sequence[Any]], Awaitable[list[Any]]]:
    """How search results are loaded: each by its kind (schema.nodes), as a page row names it."""

    async def load(found: Sequence[Any]) -> list[Any]:
        refs = [
            (BY_NAME[kind].type_name, int(pk))
            for kind, _, pk in (key.partition(":") for key in found)
        ]
        return [node for node in await load_refs(info, refs) if node is not None]

    return load


def change_listing(
    target: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Global ID of an object: only its changes."),
    ] = None,
) -> Listing:
    found = None if target is None else decode_id(target, "target")
    wanted = None if found is None else (logged_kind(found[0]), found[1])
    return Listing(lambda _: queries.change_ids(wanted), queries.CHANGES, models.Change)


@strawberry.type(
    description="The entry points into Bilateral's graph of countries, posts, people and events."
)
class Query:
    # Fields with logic of their own keep a resolver beside their compiled form (roots.py):
    # `node` and `nodes` find rows of several kinds, which the resolvers load kind by kind
    # (schema.nodes) and the compiled form builds as a union; `relation` finds its row by
    # two countries in either order, which the resolvers look up by the lower country's id
    # through the loader of a country's relations, and the compiled form by both ids it
    # binds. (Fields are declared as attributes so that the SDL keeps its order.)

    async def _node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return await load_node(info, id, "id")

    node: Node | None = own_logic(
        _node,
        roots.root_node,
        description="The object with this global ID; null when no object has it (a deleted one, say).",
    )

    async def _nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100.")
        ],
    ) -> list[Node | None]:
        return await load_nodes(info, ids, "ids")

    nodes: list[Node | None] = own_logic(
        _nodes,
        roots.root_nodes,
        description="The objects with these global IDs, in the order given; null in place of each ID that names no object.",
    )

    country: Country | None = found_by(
        models.Country.code,
        country_lookup,
        description="A country by its ISO 3166-1 alpha-2, alpha-3 or numeric code (any case) or its Wikidata ID; with `scheme`, by a code of that scheme. Null when no country has the code.",
    )

    countries: CountryConnection = paged(
        country_listing,
        description="Every country of today, by alpha-2 code (with `former`, the states that no longer exist as well), optionally only those matching a search.",
    )
    missions: MissionConnection = paged(
        mission_listing,
        description="Every post, by name, optionally of some kinds, senders and hosts only.",
    )
    people: PersonConnection = paged(
        named_listing(models.Person, queries.PEOPLE),
        description="Every person, by name, optionally only those matching a search.",
    )
    person: Person | None = found_by(
        models.Person.historian_id,
        person_lookup,
        description="A person by the Office of the Historian's id ('legare-hugh-swinton'); null when no person has it.",
    )
    datasets: list[Dataset] = every(
        models.Dataset,
        orders.by_name,
        description="Each outside dataset whose release the database holds: where it is from, its licence, its version and cutoff, and what it brought.",
    )
    organizations: OrganizationConnection = paged(
        named_listing(models.Organization, queries.ORGANIZATIONS),
        description="Every organization, by name, optionally only those matching a search.",
    )
    events: EventConnection = paged(
        event_listing,
        description="Every event, oldest first unless ordered otherwise, optionally filtered.",
    )

    async def _relation(
        self,
        info: Info,
        between: Annotated[
            list[str],
            strawberry.argument(description="The ISO codes of the two countries, in either order."),
        ],
    ) -> Relation | None:
        pair = country_pair(between)
        if pair is None:
            return None
        countries = await info.context.loaders.country_by_code.load_many(pair)
        low, high = sorted(row.id for row in countries if row is not None)
        loader = info.context.loaders.matching(
            models.Country, models.Relation, relations_of, orders.by_id
        )
        relations = await loader.load(low)
        return next((Relation.from_row(row) for row in relations if row.country_b_id == high), None)

    relation: Relation | None = own_logic(
        _relation,
        roots.root_relation,
        description="The relations of two countries, given by code in either order; null if none are recorded, or if no country has one of the codes.",
    )

    search: SearchResultConnection = paged(
        search_listing,
        nodes=(search_nodes, roots.search_result),
        description="Full-text search over names, titles, summaries, quotes, cities and addresses, best match first.",
    )

    changes: ChangeConnection = paged(
        change_listing,
        description="The change log, newest first; `target` narrows it to one object's history.",
    )

    @strawberry.field(
        description="Data-quality issues for editors to work through, by kind and then by object; `kind` narrows them."
    )
    async def quality_issues(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        kind: Annotated[
            list[QualityIssueKind] | None,
            strawberry.argument(description="Only issues of these kinds."),
        ] = None,
    ) -> QualityIssueConnection:
        return await issue_connection(info, kind, first, after, last, before)

    @strawberry.field(description="How many data-quality issues of each kind the record has.")
    async def quality_issue_counts(self, info: Info) -> list[QualityIssueCount]:
        issues = await quality.find_issues(info.context.loaders.reader)
        counted = Counter(issue.kind for issue in issues)
        return [QualityIssueCount(kind=kind, count=counted[kind]) for kind in quality.KINDS]

    @strawberry.field(
        description="The caller's budget of cost points: null where the server keeps no budgets"
        " (BILATERAL_RATE_LIMIT=off). Asking for it alone spends nothing."
    )
    def rate_limit(self, info: Info) -> RateLimit | None:
        usage = info.context.rate
        return None if usage is None else RateLimit.of(usage)
