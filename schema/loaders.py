"""Per-request DataLoaders: every relationship is fetched in batches, one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Table, select
from strawberry.dataloader import DataLoader

from db import models, orders, pages, quality, queries
from db.base import model_of
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


EMPTY = Page(ids=[], keys=[], has_next=False)

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
        self.country_by_code = self.row_by(models.Country.code)
        self.country_name = self._country_name()

        self.event_countries = self.linked(
            models.event_country, "event_id", "country_id", orders.by_code
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

    def row_by(self, key: Any) -> DataLoader[Any, Any]:
        """Rows of the model of a unique column `key`, by its value."""
        model = key.class_

        async def fetch(values: list[Any]) -> dict[Any, Any]:
            rows = await self.reader.scalars(select(model).where(key.in_(values)))
            return {getattr(row, key.key): row for row in rows}

        return self._made_once(("row by", key), lambda: batched(fetch, None))  # type: ignore[no-any-return]

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

    def matching(
        self, parent: Any, model: Any, condition: Any, order: Callable[[Any], orders.Order]
    ) -> DataLoader[int, list[Any]]:
        """Rows of `model` that meet `condition(parent row, row)`, by the parent's id, in `order`."""

        async def fetch(keys: list[int]) -> dict[int, list[Any]]:
            rows = await self.reader.execute(
                select(parent.id, model)
                .join(model, condition(parent, model))
                .where(parent.id.in_(keys))
                .order_by(*order(model))
            )
            return _grouped(rows)

        return self._made_once(  # type: ignore[no-any-return]
            (parent, model, condition, order), lambda: batched(fetch, [])
        )

    def grouped(self, query: Callable[[Any], Any], parent: Any) -> DataLoader[int, list[Any]]:
        """The rows a grouped query about one parent row gives about each (grouped by the
        parent's id as well), by the parent's id, each parent's in the query's order."""

        async def fetch(keys: list[int]) -> dict[int, list[Any]]:
            each = query(parent).add_columns(parent.id).group_by(parent.id)
            rows = await self.reader.execute(each.where(parent.id.in_(keys)))
            return _grouped((row[-1], row) for row in rows)

        return self._made_once(("grouped", query, parent), lambda: batched(fetch, []))  # type: ignore[no-any-return]

    def on_date(self, question: Callable[..., Any], parent: Any) -> DataLoader[Any, int | None]:
        """Per (parent id, date), the id of the row that answers a question about that date."""

        async def fetch(parents: Sequence[int], on: PartialDate) -> dict[int, int | None]:
            answer: ColumnElement[Any] = question(parent.id, on, parent)
            rows = await self.reader.execute(
                select(parent.id, answer).where(parent.id.in_(parents))
            )
            return {row[0]: row[-1] for row in rows}

        return self._made_once(  # type: ignore[no-any-return]
            (question, parent), lambda: _per_parent(fetch, None)
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

    def event_pages(self, selection: queries.Selection) -> DataLoader[tuple[int, PageArgs], Page]:
        """The same page of many parents' events, by (parent id, what is asked)."""

        async def fetch(parents: Sequence[int], args: PageArgs) -> dict[int, Page]:
            ids, parent = selection(args.criteria or queries.EventCriteria(), None)
            keys = queries.events_order(args.descending).keys
            return await pages.read_pages(self.reader, ids, parent, parents, keys, args.window)

        return self._made_once(("event pages", selection), lambda: _per_parent(fetch, EMPTY))  # type: ignore[no-any-return]

    def event_counts(
        self, selection: queries.Selection
    ) -> DataLoader[tuple[int, queries.EventCriteria], int]:
        """How many events each parent has, by (parent id, criteria)."""

        async def fetch(parents: Sequence[int], criteria: queries.EventCriteria) -> dict[int, int]:
            ids, parent = selection(criteria, None)
            return await pages.counts(self.reader, ids, parent, parents)

        return self._made_once(("event counts", selection), lambda: _per_parent(fetch, 0))  # type: ignore[no-any-return]

    def participation_pages(self, kind: str) -> DataLoader[tuple[int, PageArgs], Page]:
        """The same page of many participants' participations (of one kind of participant)."""

        async def fetch(parents: Sequence[int], args: PageArgs) -> dict[int, Page]:
            ids, parent = queries.participation_ids(kind)
            keys = queries.PARTICIPATIONS.keys
            return await pages.read_pages(self.reader, ids, parent, parents, keys, args.window)

        return self._made_once(("participation pages", kind), lambda: _per_parent(fetch, EMPTY))  # type: ignore[no-any-return]

    def participation_counts(self, kind: str) -> DataLoader[tuple[int, None], int]:
        """How many participations each participant (of one kind) has."""

        async def fetch(parents: Sequence[int], _: None) -> dict[int, int]:
            ids, parent = queries.participation_ids(kind)
            return await pages.counts(self.reader, ids, parent, parents)

        return self._made_once(("participation counts", kind), lambda: _per_parent(fetch, 0))  # type: ignore[no-any-return]
