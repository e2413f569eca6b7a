"""Per-request DataLoaders: every relationship is fetched in batches, one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, Table, select
from strawberry.dataloader import DataLoader

from db import models, orders, pages, quality, queries, tenures
from db.base import table_of
from db.pages import Column, Page
from db.partial_date import PartialDate
from db.session import Reader

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
M = TypeVar("M")


def batched(fetch: Callable[[list[K]], Awaitable[dict[K, V]]], absent: V) -> DataLoader[K, V]:
    """A loader whose batches fetch only keys not seen before in this request.

    Strawberry's own cache answers a repeated key at once, so a resolver whose
    data happens to be cached runs ahead of its siblings and their next loads
    split into extra batches: the statement count would depend on the data. Here
    every load waits for its batch, cached or not, and the memo saves the query.
    """
    memo: dict[K, V] = {}

    async def load(keys: list[K]) -> list[V]:
        missing = [key for key in dict.fromkeys(keys) if key not in memo]
        if missing:
            found = await fetch(missing)
            memo.update({key: found.get(key, absent) for key in missing})
        return [memo[key] for key in keys]

    return DataLoader(load_fn=load, cache=False)


def _grouped(rows: Any) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for key, row in rows:
        grouped[key].append(row)
    return grouped


def _by_id(reader: Reader, model: type[M]) -> DataLoader[int, M | None]:
    async def fetch(ids: list[int]) -> dict[int, M | None]:
        rows = await reader.scalars(select(model).where(model.id.in_(ids)))  # type: ignore[attr-defined]
        return {row.id: row for row in rows}

    return batched(fetch, None)


def _rows_by(
    reader: Reader, model: type[M], column: Column, *order: Column
) -> DataLoader[int, list[M]]:
    """Rows of `model` grouped by the value of `column`, each group in `order`."""

    async def fetch(keys: list[int]) -> dict[int, list[M]]:
        rows = await reader.execute(select(column, model).where(column.in_(keys)).order_by(*order))
        return _grouped(rows)

    return batched(fetch, [])


def _through(
    reader: Reader, model: type[M], link: Table, key: str, target: str, *order: Column
) -> DataLoader[int, list[M]]:
    """Rows of `model` linked to each key through a link table, in `order`."""
    subject = link.c[key]

    async def fetch(keys: list[int]) -> dict[int, list[M]]:
        rows = await reader.execute(
            select(subject, model)
            .join(link, link.c[target] == model.id)  # type: ignore[attr-defined]
            .where(subject.in_(keys))
            .order_by(*order)
        )
        return _grouped(rows)

    return batched(fetch, [])


def _sources(reader: Reader, link: Table) -> DataLoader[int, list[models.Source]]:
    """The sources of a kind of fact that may have several, through its link table."""
    subject = f"{link.name.removesuffix('_source')}_id"
    return _through(reader, models.Source, link, subject, "source_id", models.Source.id)


@dataclass(frozen=True)
class PageArgs:
    """The arguments one page of a nested connection is asked with."""

    window: pages.Window
    descending: bool = False
    criteria: queries.EventCriteria | None = None


A = TypeVar("A", bound=Hashable)
R = TypeVar("R")


def _per_parent(
    fetch: Callable[[Sequence[int], A], Awaitable[dict[int, R]]], absent: R
) -> DataLoader[tuple[int, A], R]:
    """Answers for (parent, arguments) keys; parents asked with the same arguments share a statement."""

    async def fetch_all(keys: list[tuple[int, A]]) -> dict[tuple[int, A], R]:
        by_args: dict[A, list[int]] = defaultdict(list)
        for parent, args in keys:
            by_args[args].append(parent)
        found: dict[tuple[int, A], R] = {}
        for args, parents in by_args.items():
            for parent, value in (await fetch(parents, args)).items():
                found[(parent, args)] = value
        return found

    return batched(fetch_all, absent)


Selection = Callable[[queries.EventCriteria], tuple[Select[Any], Column]]


class Loaders:
    """Every loader one request uses; built anew for each request so nothing is cached across."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.country = _by_id(reader, models.Country)
        self.mission = _by_id(reader, models.Mission)
        self.person = _by_id(reader, models.Person)
        self.organization = _by_id(reader, models.Organization)
        self.event = _by_id(reader, models.Event)
        self.head_of_mission = _by_id(reader, models.HeadOfMission)
        self.participation = _by_id(reader, models.Participation)
        self.relation = _by_id(reader, models.Relation)
        self.change = _by_id(reader, models.Change)
        self.source = _by_id(reader, models.Source)
        self.claim = _by_id(reader, models.MissionClaim)
        self.issues_of_mission = self._issues("Mission")
        self.issues_of_head = self._issues("HeadOfMission")
        self.issues_of_event = self._issues("Event")
        self.jurisdiction = _by_id(reader, models.Jurisdiction)
        self.country_by_code = self._country_by_code()
        self.country_name = self._country_name()
        self.identifiers = _rows_by(
            reader,
            models.CountryIdentifier,
            models.CountryIdentifier.country_id,
            models.CountryIdentifier.scheme,
        )

        Mission, Head, Position = models.Mission, models.HeadOfMission, models.Position
        Address, Accreditation = models.MissionAddress, models.Accreditation
        Participation, Quote, Figure = models.Participation, models.Quote, models.Figure
        self.missions_by_country = _rows_by(
            reader, Mission, Mission.country_id, *orders.by_name(Mission)
        )
        self.missions_by_host = _rows_by(
            reader, Mission, Mission.host_country_id, *orders.by_name(Mission)
        )
        self.missions_accredited = _through(
            reader,
            Mission,
            table_of(Accreditation),
            "country_id",
            "mission_id",
            *orders.by_name(Mission),
        )
        self.claims = _rows_by(
            reader, models.MissionClaim, models.MissionClaim.mission_id, *orders.claims()
        )
        self.addresses = _rows_by(reader, Address, Address.mission_id, *orders.addresses(Address))
        self.accreditations = _rows_by(
            reader, Accreditation, Accreditation.mission_id, *orders.by_id(Accreditation)
        )
        self.heads = _rows_by(reader, Head, Head.mission_id, *orders.tenure(Head))
        self.headships = _rows_by(reader, Head, Head.person_id, *orders.tenure(Head))
        self.positions = _rows_by(reader, Position, Position.person_id, *orders.office(Position))
        self.participants = _rows_by(
            reader, Participation, Participation.event_id, *orders.by_id(Participation)
        )
        self.quotes_by_event = _rows_by(reader, Quote, Quote.event_id, *orders.by_id(Quote))
        self.quotes_by_speaker = _rows_by(
            reader, Quote, Quote.speaker_id, *orders.quotes_of_speaker(Quote)
        )
        self.figures = _rows_by(reader, Figure, Figure.event_id, *orders.by_id(Figure))
        self.missions_of_relation = self._missions_of_relation()
        self.head_on = _per_parent(self._on_date(tenures.head_on), None)
        self.address_on = _per_parent(self._on_date(tenures.address_on), None)
        self.event_countries = _through(
            reader,
            models.Country,
            models.event_country,
            "event_id",
            "country_id",
            *orders.by_code(models.Country),
        )
        self.organizations_of_relation = _through(
            reader,
            models.Organization,
            models.relation_organization,
            "relation_id",
            "organization_id",
            *orders.by_name(models.Organization),
        )
        self.sources_of_event = _sources(reader, models.event_source)
        self.sources_of_mission = _sources(reader, models.mission_source)
        self.sources_of_head = _sources(reader, models.head_of_mission_source)
        self.sources_of_relation = _sources(reader, models.relation_source)
        self.relations_by_country = self._relations_by_country()

        empty = Page(ids=[], keys=[], has_next=False)
        self.country_events = _per_parent(self._event_pages(queries.country_event_ids), empty)
        self.relation_events = _per_parent(self._event_pages(queries.relation_event_ids), empty)
        self.country_event_counts = _per_parent(self._event_counts(queries.country_event_ids), 0)
        self.relation_event_counts = _per_parent(self._event_counts(queries.relation_event_ids), 0)
        self.person_participations = _per_parent(self._participation_pages("person"), empty)
        self.organization_participations = _per_parent(
            self._participation_pages("organization"), empty
        )
        self.person_participation_counts = _per_parent(self._participation_counts("person"), 0)
        self.organization_participation_counts = _per_parent(
            self._participation_counts("organization"), 0
        )

    def _issues(self, subject_type: str) -> DataLoader[int, list[quality.QualityIssue]]:
        """The data-quality issues about objects of one type, by id."""

        async def fetch(ids: list[int]) -> dict[int, list[quality.QualityIssue]]:
            found = await quality.find_issues(self.reader, quality.Scope.only(subject_type, ids))
            return _grouped((issue.subject_id, issue) for issue in found)

        return batched(fetch, [])

    def _country_name(self) -> DataLoader[tuple[int, str], str | None]:
        """A country's name in a language, by (country id, locale); None where untranslated."""

        async def fetch(keys: list[tuple[int, str]]) -> dict[tuple[int, str], str | None]:
            N = models.CountryName
            rows = await self.reader.execute(
                select(N.country_id, N.language, N.name).where(
                    N.country_id.in_({pk for pk, _ in keys}),
                    N.language.in_({locale for _, locale in keys}),
                )
            )
            return {(row.country_id, row.language): row.name for row in rows}

        return batched(fetch, None)

    def _country_by_code(self) -> DataLoader[str, models.Country | None]:
        async def fetch(codes: list[str]) -> dict[str, models.Country | None]:
            rows = await self.reader.scalars(
                select(models.Country).where(models.Country.code.in_(codes))
            )
            return {row.code: row for row in rows}

        return batched(fetch, None)

    def _missions_of_relation(self) -> DataLoader[int, list[models.Mission]]:
        """The posts either country of a relation keeps in the other."""
        R_, M = models.Relation, models.Mission

        async def fetch(keys: list[int]) -> dict[int, list[models.Mission]]:
            rows = await self.reader.execute(
                select(R_.id, M)
                .join(M, queries.posts_of_relation(R_, M))
                .where(R_.id.in_(keys))
                .order_by(*orders.by_name(M))
            )
            return _grouped(rows)

        return batched(fetch, [])

    def _on_date(
        self, question: Callable[..., Any]
    ) -> Callable[[Sequence[int], PartialDate], Awaitable[dict[int, int | None]]]:
        """Per post, the id of the row that answers a question about one date (head, address)."""

        async def fetch(parents: Sequence[int], on: PartialDate) -> dict[int, int | None]:
            M = models.Mission
            answer: ColumnElement[Any] = question(M.id, on, M)
            rows = await self.reader.execute(select(M.id, answer).where(M.id.in_(parents)))
            return {row[0]: row[-1] for row in rows}

        return fetch

    def _relations_by_country(self) -> DataLoader[int, list[models.Relation]]:
        R_ = models.Relation

        async def fetch(keys: list[int]) -> dict[int, list[models.Relation]]:
            rows = await self.reader.scalars(
                select(R_)
                .where(R_.country_a_id.in_(keys) | R_.country_b_id.in_(keys))
                .order_by(R_.id)
            )
            grouped: dict[int, list[models.Relation]] = defaultdict(list)
            for row in rows:
                grouped[row.country_a_id].append(row)
                grouped[row.country_b_id].append(row)
            return grouped

        return batched(fetch, [])

    def _event_pages(
        self, selection: Selection
    ) -> Callable[[Sequence[int], PageArgs], Awaitable[dict[int, Page]]]:
        async def fetch(parents: Sequence[int], args: PageArgs) -> dict[int, Page]:
            ids, parent = selection(args.criteria or queries.EventCriteria())
            keys = queries.event_keys(args.descending)
            return await pages.read_pages(self.reader, ids, parent, parents, keys, args.window)

        return fetch

    def _event_counts(
        self, selection: Selection
    ) -> Callable[[Sequence[int], queries.EventCriteria], Awaitable[dict[int, int]]]:
        async def fetch(parents: Sequence[int], criteria: queries.EventCriteria) -> dict[int, int]:
            ids, parent = selection(criteria)
            return await pages.counts(self.reader, ids, parent, parents)

        return fetch

    def _participation_pages(
        self, kind: str
    ) -> Callable[[Sequence[int], PageArgs], Awaitable[dict[int, Page]]]:
        async def fetch(parents: Sequence[int], args: PageArgs) -> dict[int, Page]:
            ids, parent = queries.participation_ids(kind)
            keys = queries.participation_keys()
            return await pages.read_pages(self.reader, ids, parent, parents, keys, args.window)

        return fetch

    def _participation_counts(
        self, kind: str
    ) -> Callable[[Sequence[int], None], Awaitable[dict[int, int]]]:
        async def fetch(parents: Sequence[int], _: None) -> dict[int, int]:
            ids, parent = queries.participation_ids(kind)
            return await pages.counts(self.reader, ids, parent, parents)

        return fetch
