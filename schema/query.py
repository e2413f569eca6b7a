"""The root Query: entry points into the graph."""

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from sqlalchemy import Select, select

from db import models, pages, quality, queries, search
from db.countries import find_iso_country
from db.pages import Key, Window
from db.search import SEARCH_TYPES, SearchTextError, SearchWords, search_page
from schema.compiled import roots
from schema.connection import (
    AFTER,
    BEFORE,
    FIRST,
    LAST,
    Connection,
    nodes_from,
    page_window,
)
from schema.context import Info
from schema.enums import CodeScheme, MissionKind, QualityIssueKind
from schema.ids import CHANGE_KINDS, decode_id
from schema.nodes import load_node, load_nodes, load_refs
from schema.relations import compiled_as
from schema.types.change import Change, ChangeConnection
from schema.types.country import Country
from schema.types.dataset import Dataset
from schema.types.event import (
    Event,
    EventConnection,
    event_criteria,
    is_descending,
)
from schema.types.lists import EventFilterArgument, EventOrderArgument
from schema.types.mission import Mission
from schema.types.node import Node
from schema.types.organization import Organization
from schema.types.person import Person
from schema.types.quality import QualityIssueConnection, QualityIssueCount, issue_connection
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


async def _connection(
    info: Info,
    name: str,
    ids: Select[Any],
    keys: Sequence[Key],
    window: Window,
    load: Callable[[Sequence[Any]], Awaitable[list[T]]],
    kind: type[C],
) -> C:
    """A top-level connection: one page of what `ids` selects, in the order of `keys`."""
    reader = info.context.reader
    page = await pages.read_page(reader, ids, keys, window)

    async def total() -> int:
        return await pages.count(reader, ids)

    return kind(page=page, name=name, load_nodes=load, load_total=total)


def search_words(text: str | None, argument: str) -> SearchWords | None:
    """The words of a `search` argument; a GraphQL error when they cannot be searched for."""
    try:
        return search.search_words(text)
    except SearchTextError as error:
        raise GraphQLError(f"Argument '{argument}' {error}.") from None


def _country_code(code: str | None, argument: str) -> str | None:
    if code is None:
        return None
    country = find_iso_country(code)
    if country is None:
        raise GraphQLError(
            f"Argument '{argument}' is not an ISO 3166-1 country code: {code[:20]!r}."
        )
    return country.code


async def _country_pk(info: Info, code: str | None, argument: str) -> int | None:
    found = _country_code(code, argument)
    if found is None:
        return None
    row = await info.context.loaders.country_by_code.load(found)
    assert row is not None
    return row.id


@strawberry.type(
    description="The entry points into Bilateral's graph of countries, posts, people and events."
)
class Query:
    @strawberry.field(
        description="The object with this global ID; null when no object has it (a deleted one, say).",
        metadata=compiled_as(roots.root_node),
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global ID.")],
    ) -> Node | None:
        return await load_node(info, id, "id")

    @strawberry.field(
        description="The objects with these global IDs, in the order given; null in place of each ID that names no object.",
        metadata=compiled_as(roots.root_nodes),
    )
    async def nodes(
        self,
        info: Info,
        ids: Annotated[
            list[strawberry.ID], strawberry.argument(description="Global IDs, at most 100.")
        ],
    ) -> list[Node | None]:
        return await load_nodes(info, ids, "ids")

    @strawberry.field(
        description="A country by its ISO 3166-1 alpha-2, alpha-3 or numeric code (any case) or its Wikidata ID; with `scheme`, by a code of that scheme. Null when no country has the code.",
        metadata=compiled_as(roots.root_country),
    )
    async def country(
        self,
        info: Info,
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
    ) -> Country | None:
        found = find_iso_country(code, scheme)
        row = None if found is None else await info.context.loaders.country_by_code.load(found.code)
        return None if row is None else Country.from_row(row)

    @strawberry.field(
        description="Every country of today, by alpha-2 code (with `former`, the states that no longer exist as well), optionally only those matching a search.",
        metadata=compiled_as(roots.root_countries),
    )
    async def countries(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Words the country's name or codes must start with."),
        ] = None,
        former: Annotated[
            bool,
            strawberry.argument(
                description="Also list the states that no longer exist (Czechoslovakia, Prussia); by default only today's countries."
            ),
        ] = False,
    ) -> CountryConnection:
        ids = queries.country_ids(search_words(search, "search"), former)

        load = nodes_from(info.context.loaders.country, Country.from_row)

        return await _connection(
            info,
            "countries",
            ids,
            queries.COUNTRY_KEYS,
            page_window("countries", len(queries.COUNTRY_KEYS), first, after, last, before),
            load,
            CountryConnection,
        )

    @strawberry.field(
        description="Every post, by name, optionally of some kinds, senders and hosts only.",
        metadata=compiled_as(roots.root_missions),
    )
    async def missions(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
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
    ) -> MissionConnection:
        ids = queries.mission_ids(
            tuple(kind or ()),
            _country_code(country, "country"),
            _country_code(host_country, "hostCountry"),
        )

        load = nodes_from(info.context.loaders.mission, Mission.from_row)

        return await _connection(
            info,
            "missions",
            ids,
            queries.MISSION_KEYS,
            page_window("missions", len(queries.MISSION_KEYS), first, after, last, before),
            load,
            MissionConnection,
        )

    @strawberry.field(
        description="Every person, by name, optionally only those matching a search.",
        metadata=compiled_as(roots.PEOPLE),
    )
    async def people(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Words the person's name must contain, as word starts."
            ),
        ] = None,
    ) -> PersonConnection:
        ids = queries.named_ids(models.Person, "person", search_words(search, "search"))

        load = nodes_from(info.context.loaders.person, Person.from_row)

        keys = queries.by_name_keys(models.Person)
        return await _connection(
            info,
            "people",
            ids,
            keys,
            page_window("people", len(keys), first, after, last, before),
            load,
            PersonConnection,
        )

    @strawberry.field(
        description="A person by the Office of the Historian's id ('legare-hugh-swinton'); null when no person has it.",
        metadata=compiled_as(roots.root_person_by_historian_id),
    )
    async def person(
        self,
        info: Info,
        historian_id: Annotated[
            str, strawberry.argument(description="The Office of the Historian's id of the person.")
        ],
    ) -> Person | None:
        rows = await info.context.loaders.reader.scalars(
            select(models.Person).where(models.Person.historian_id == historian_id)
        )
        return next((Person.from_row(row) for row in rows), None)

    @strawberry.field(
        description="Each outside dataset whose release the database holds: where it is from, its licence, its version and cutoff, and what it brought."
    )
    async def datasets(self, info: Info) -> list[Dataset]:
        rows = await info.context.loaders.reader.scalars(
            select(models.Dataset).order_by(models.Dataset.name)
        )
        return [Dataset.from_row(row) for row in rows]

    @strawberry.field(
        description="Every organization, by name, optionally only those matching a search.",
        metadata=compiled_as(roots.ORGANIZATIONS),
    )
    async def organizations(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Words the organization's name must contain, as word starts."
            ),
        ] = None,
    ) -> OrganizationConnection:
        ids = queries.named_ids(models.Organization, "organization", search_words(search, "search"))

        load = nodes_from(info.context.loaders.organization, Organization.from_row)

        keys = queries.by_name_keys(models.Organization)
        return await _connection(
            info,
            "organizations",
            ids,
            keys,
            page_window("organizations", len(keys), first, after, last, before),
            load,
            OrganizationConnection,
        )

    @strawberry.field(
        description="Every event, oldest first unless ordered otherwise, optionally filtered.",
        metadata=compiled_as(roots.root_events),
    )
    async def events(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        filter: EventFilterArgument = None,
        order_by: EventOrderArgument = None,
    ) -> EventConnection:
        descending = is_descending(order_by)
        name = "events-desc" if descending else "events"
        ids = queries.event_ids(event_criteria(filter))

        load = nodes_from(info.context.loaders.event, Event.from_row)

        keys = queries.event_keys(descending)
        return await _connection(
            info,
            name,
            ids,
            keys,
            page_window(name, len(keys), first, after, last, before),
            load,
            EventConnection,
        )

    @strawberry.field(
        description="The relations of two countries, given by code in either order; null if none are recorded, or if no country has one of the codes.",
        metadata=compiled_as(roots.root_relation),
    )
    async def relation(
        self,
        info: Info,
        between: Annotated[
            list[str],
            strawberry.argument(description="The ISO codes of the two countries, in either order."),
        ],
    ) -> Relation | None:
        if len(between) != 2:
            raise GraphQLError(
                f"Argument 'between' must hold exactly two country codes; got {len(between)}."
            )
        if any(find_iso_country(code) is None for code in between):
            return None  # as country(code:) answers for a code no country has
        first_pk = await _country_pk(info, between[0], "between")
        second_pk = await _country_pk(info, between[1], "between")
        if first_pk == second_pk:
            raise GraphQLError("Argument 'between' must name two different countries.")
        assert first_pk is not None and second_pk is not None
        low, high = sorted((first_pk, second_pk))
        rows = await info.context.loaders.relations_by_country.load(low)
        found = next((row for row in rows if row.country_b_id == high), None)
        return None if found is None else Relation.from_row(found)

    @strawberry.field(
        description="Full-text search over names, titles, summaries, quotes, cities and addresses, best match first.",
        metadata=compiled_as(roots.root_search),
    )
    async def search(
        self,
        info: Info,
        text: Annotated[
            str,
            strawberry.argument(
                description="The words to look for; each must match the start of a word."
            ),
        ],
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
    ) -> SearchResultConnection:
        ids, keys = search_page(search_words(text, "text"))

        async def load(found: Sequence[Any]) -> list[SearchResult]:
            refs = [
                (SEARCH_TYPES[kind], int(pk))
                for kind, _, pk in (key.partition(":") for key in found)
            ]
            return [node for node in await load_refs(info, refs) if node is not None]  # type: ignore[misc]

        window = page_window("search", len(keys), first, after, last, before)
        return await _connection(info, "search", ids, keys, window, load, SearchResultConnection)

    @strawberry.field(
        description="The change log, newest first; `target` narrows it to one object's history.",
        metadata=compiled_as(roots.root_changes),
    )
    async def changes(
        self,
        info: Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
        last: Annotated[int | None, LAST] = None,
        before: Annotated[str | None, BEFORE] = None,
        target: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Global ID of an object: only its changes."),
        ] = None,
    ) -> ChangeConnection:
        found = None if target is None else decode_id(target, "target")
        ids = queries.change_ids(None if found is None else (CHANGE_KINDS.get(found[0]), found[1]))
        load = nodes_from(info.context.loaders.change, Change.from_row)
        keys = queries.CHANGE_KEYS
        return await _connection(
            info,
            "changes",
            ids,
            keys,
            page_window("changes", len(keys), first, after, last, before),
            load,
            ChangeConnection,
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
