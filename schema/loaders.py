"""Per-request DataLoaders: every relationship is fetched in batches, one statement per batch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, Table, select
from strawberry.dataloader import DataLoader

from db import models, pages, queries
from db.pages import Key, Page
from db.session import Reader

M = TypeVar("M")
A = TypeVar("A", bound=Hashable)


def _by_id(reader: Reader, model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: Sequence[int]) -> list[M | None]:
        rows = await reader.scalars(select(model).where(model.id.in_(ids)))  # type: ignore[attr-defined]
        found = {row.id: row for row in rows}
        return [found.get(pk) for pk in ids]

    return DataLoader(load_fn=load)


def _rows_by(
    reader: Reader, model: type[M], column: ColumnElement[Any], *order: ColumnElement[Any]
) -> DataLoader[int, list[M]]:
    """Rows of `model` grouped by the value of `column`, each group in `order`."""

    async def load(keys: Sequence[int]) -> list[list[M]]:
        rows = await reader.execute(
            select(column, model).where(column.in_(keys)).order_by(*order)
        )
        grouped: dict[int, list[M]] = defaultdict(list)
        for key, row in rows.tuples():
            grouped[key].append(row)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load)


def _sources(reader: Reader, link: Table) -> DataLoader[int, list[models.Source]]:
    """The sources of a kind of fact that may have several, through its link table."""
    subject = link.c[f"{link.name.removesuffix('_source')}_id"]

    async def load(keys: Sequence[int]) -> list[list[models.Source]]:
        rows = await reader.execute(
            select(subject, models.Source)
            .join(link, link.c.source_id == models.Source.id)
            .where(subject.in_(keys))
            .order_by(models.Source.id)
        )
        grouped: dict[int, list[models.Source]] = defaultdict(list)
        for key, row in rows.tuples():
            grouped[key].append(row)
        return [grouped[key] for key in keys]

    return DataLoader(load_fn=load)


def _through(
    reader: Reader,
    model: type[M],
    link: Table,
    key: str,
    target: str,
    *order: ColumnElement[Any],
) -> DataLoader[int, list[M]]:
    """Rows of `model` linked to each key through a link table, in `order`."""
    subject = link.c[key]

    async def load(keys: Sequence[int]) -> list[list[M]]:
        rows = await reader.execute(
            select(subject, model)
            .join(link, link.c[target] == model.id)  # type: ignore[attr-defined]
            .where(subject.in_(keys))
            .order_by(*order)
        )
        grouped: dict[int, list[M]] = defaultdict(list)
        for parent, row in rows.tuples():
            grouped[parent].append(row)
        return [grouped[parent] for parent in keys]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class PageArgs:
    """The arguments one page of a nested connection is asked with."""

    first: int
    cursor: tuple[pages.CursorValue, ...] | None
    descending: bool = False
    criteria: queries.EventCriteria | None = None


def _paged(
    fetch: Callable[[Sequence[int], PageArgs], Awaitable[dict[int, Page]]],
) -> DataLoader[tuple[int, PageArgs], Page]:
    """Pages of many parents; parents asked with the same arguments share one statement."""

    async def load(keys: Sequence[tuple[int, PageArgs]]) -> list[Page]:
        by_args: dict[PageArgs, list[int]] = defaultdict(list)
        for parent, args in keys:
            by_args[args].append(parent)
        found: dict[tuple[int, PageArgs], Page] = {}
        for args, parents in by_args.items():
            for parent, page in (await fetch(parents, args)).items():
                found[(parent, args)] = page
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)


def _counted(
    fetch: Callable[[Sequence[int], A], Awaitable[dict[int, int]]],
) -> DataLoader[tuple[int, A], int]:
    """Row counts of many parents; parents asked with the same criteria share one statement."""

    async def load(keys: Sequence[tuple[int, A]]) -> list[int]:
        by_args: dict[A, list[int]] = defaultdict(list)
        for parent, args in keys:
            by_args[args].append(parent)
        found: dict[tuple[int, A], int] = {}
        for args, parents in by_args.items():
            for parent, total in (await fetch(parents, args)).items():
                found[(parent, args)] = total
        return [found[key] for key in keys]

    return DataLoader(load_fn=load)


class Loaders:
    """Every loader one request uses; built anew for each request so nothing is cached across."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        M_ = models
        self.country = _by_id(reader, M_.Country)
        self.mission = _by_id(reader, M_.Mission)
        self.person = _by_id(reader, M_.Person)
        self.organization = _by_id(reader, M_.Organization)
        self.event = _by_id(reader, M_.Event)
        self.head_of_mission = _by_id(reader, M_.HeadOfMission)
        self.participation = _by_id(reader, M_.Participation)
        self.relation = _by_id(reader, M_.Relation)
        self.source = _by_id(reader, M_.Source)
        self.country_by_code = self._country_by_code()

        Mission = M_.Mission
        self.missions_by_country = _rows_by(reader, Mission, Mission.country_id, Mission.name, Mission.id)
        self.missions_by_host = _rows_by(reader, Mission, Mission.host_country_id, Mission.name, Mission.id)
        Address = M_.MissionAddress
        self.addresses = _rows_by(reader, Address, Address.mission_id, Address.start, Address.id)
        Accreditation = M_.Accreditation
        self.accreditations = _rows_by(
            reader, Accreditation, Accreditation.mission_id, Accreditation.id
        )
        Head = M_.HeadOfMission
        self.heads = _rows_by(reader, Head, Head.mission_id, Head.start, Head.held_on, Head.id)
        self.headships = _rows_by(reader, Head, Head.person_id, Head.start, Head.held_on, Head.id)
        Position = M_.Position
        self.positions = _rows_by(
            reader, Position, Position.person_id, Position.start, Position.held_on, Position.id
        )
        P = M_.Participation
        self.participants = _rows_by(reader, P, P.event_id, P.id)
        self.quotes_by_event = _rows_by(reader, M_.Quote, M_.Quote.event_id, M_.Quote.id)
        self.quotes_by_speaker = _rows_by(
            reader, M_.Quote, M_.Quote.speaker_id, M_.Quote.date, M_.Quote.id
        )
        self.figures = _rows_by(reader, M_.Figure, M_.Figure.event_id, M_.Figure.id)
        self.event_countries = _through(
            reader, M_.Country, M_.event_country, "event_id", "country_id", M_.Country.code
        )
        self.organizations_of_relation = _through(
            reader,
            M_.Organization,
            M_.relation_organization,
            "relation_id",
            "organization_id",
            M_.Organization.name,
        )
        self.sources_of_event = _sources(reader, M_.event_source)
        self.sources_of_mission = _sources(reader, M_.mission_source)
        self.sources_of_head = _sources(reader, M_.head_of_mission_source)
        self.sources_of_relation = _sources(reader, M_.relation_source)
        self.relations_by_country = self._relations_by_country()

        self.country_events = _paged(self._event_pages(queries.country_event_ids))
        self.relation_events = _paged(self._event_pages(queries.relation_event_ids))
        self.country_event_counts = _counted(self._event_counts(queries.country_event_ids))
        self.relation_event_counts = _counted(self._event_counts(queries.relation_event_ids))
        self.person_participations = _paged(self._participation_pages("person"))
        self.organization_participations = _paged(self._participation_pages("organization"))
        self.person_participation_counts = _counted(self._participation_counts("person"))
        self.organization_participation_counts = _counted(
            self._participation_counts("organization")
        )

    def _relations_by_country(self) -> DataLoader[int, list[models.Relation]]:
        R = models.Relation

        async def load(keys: Sequence[int]) -> list[list[models.Relation]]:
            rows = await self.reader.scalars(
                select(R).where(R.country_a_id.in_(keys) | R.country_b_id.in_(keys)).order_by(R.id)
            )
            grouped: dict[int, list[models.Relation]] = defaultdict(list)
            for row in rows:
                grouped[row.country_a_id].append(row)
                grouped[row.country_b_id].append(row)
            return [grouped[key] for key in keys]

        return DataLoader(load_fn=load)

    def _event_pages(
        self, selection: Callable[[queries.EventCriteria], tuple[Select[Any], ColumnElement[int]]]
    ) -> Callable[[Sequence[int], PageArgs], Awaitable[dict[int, Page]]]:
        async def fetch(parents: Sequence[int], args: PageArgs) -> dict[int, Page]:
            ids, parent = selection(args.criteria or queries.EventCriteria())
            keys = queries.event_keys(args.descending)
            return await pages.read_pages(
                self.reader, ids, parent, parents, keys, args.first, args.cursor
            )

        return fetch

    def _event_counts(
        self, selection: Callable[[queries.EventCriteria], tuple[Select[Any], ColumnElement[int]]]
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
            keys: list[Key] = queries.participation_keys()
            return await pages.read_pages(
                self.reader, ids, parent, parents, keys, args.first, args.cursor
            )

        return fetch

    def _participation_counts(
        self, kind: str
    ) -> Callable[[Sequence[int], None], Awaitable[dict[int, int]]]:
        async def fetch(parents: Sequence[int], _: None) -> dict[int, int]:
            ids, parent = queries.participation_ids(kind)
            return await pages.counts(self.reader, ids, parent, parents)

        return fetch

    def _country_by_code(self) -> DataLoader[str, models.Country | None]:
        async def load(codes: Sequence[str]) -> list[models.Country | None]:
            rows = await self.reader.scalars(
                select(models.Country).where(models.Country.code.in_(codes))
            )
            found = {row.code: row for row in rows}
            return [found.get(code) for code in codes]

        return DataLoader(load_fn=load)
