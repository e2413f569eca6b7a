"""Per-request DataLoaders: every relationship is fetched in batches, one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, Table, select
from strawberry.dataloader import DataLoader

from db import event_tallies, models, orders, pages, quality, queries, tenures
from db.base import model_of, table_of
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
        self._made: dict[object, DataLoader[Any, Any]] = {}
        self.country = self.row(models.Country)
        self.mission = self.row(models.Mission)
        self.person = self.row(models.Person)
        self.organization = self.row(models.Organization)
        self.event = self.row(models.Event)
        self.head_of_mission = self.row(models.HeadOfMission)
        self.participation = self.row(models.Participation)
        self.relation = self.row(models.Relation)
        self.change = self.row(models.Change)
        self.claim = self.row(models.MissionClaim)
        self.issues_of_mission = self._issues("Mission")
        self.issues_of_head = self._issues("HeadOfMission")
        self.issues_of_event = self._issues("Event")
        self.jurisdiction = self.row(models.Jurisdiction)
        self.country_by_code = self._country_by_code()
        self.country_name = self._country_name()

        Mission, Accreditation = models.Mission, models.Accreditation
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
        self.missions_of_relation = self._missions_of_relation()
        self.head_on = _per_parent(self._on_date(tenures.head_on), None)
        self.address_on = _per_parent(self._on_date(tenures.address_on), None)
        self.event_countries = self.linked(
            models.event_country, "event_id", "country_id", orders.by_code
        )
        self.relations_by_country = self._relations_by_country()
        self.relation_event_tallies: DataLoader[int, list[event_tallies.Tally]] = batched(
            partial(event_tallies.tallies_of, reader), []
        )

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

    def _made_once(self, key: object, make: Callable[[], DataLoader[Any, Any]]) -> Any:
        """The request's one loader for this key, made when first asked for."""
        loader = self._made.get(key)
        if loader is None:
            loader = self._made[key] = make()
        return loader

    def row(self, model: type[M]) -> DataLoader[int, M | None]:
        """Rows of a model by id."""
        loader: DataLoader[int, M | None] = self._made_once(
            model, lambda: _by_id(self.reader, model)
        )
        return loader

    def rows_by(self, key: Any, order: Callable[[Any], orders.Order]) -> DataLoader[int, list[Any]]:
        """Rows of the model of column `key`, grouped by its value, each group in `order`."""
        model = key.class_
        return self._made_once(  # type: ignore[no-any-return]
            (key, order), lambda: _rows_by(self.reader, model, key, *order(model))
        )

    def linked(
        self, link: Table, subject: str, target: str, order: Callable[[Any], orders.Order]
    ) -> DataLoader[int, list[Any]]:
        """Rows a link table joins to each key (`subject` names the key, `target` the row)."""
        model = model_of(next(iter(link.c[target].foreign_keys)).column.table)
        return self._made_once(  # type: ignore[no-any-return]
            (link, subject, order),
            lambda: _through(self.reader, model, link, subject, target, *order(model)),
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
