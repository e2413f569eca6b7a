"""How long each list is, as the database knows it, for a node estimate close to the truth.

The node estimate (schema.limits.estimate_nodes) counts the objects a query is expected to
return. For that it needs, for each list a query can ask for:

- plain list fields (those whose compiled form declares how its rows are grouped,
  schema.compiled.fields.Listed): the mean length of a parent's list (over the parents
  that have one), the longest, the rows all lists hold, the lists of the heaviest parents
  by the parent's key (every parent's when there are few, as for countries), and where an
  argument narrows the list (`kind: [EMBASSY]`), the share of rows each value keeps;
- connections under an object (CONNECTIONS): the same, counted from the connection's own
  selection (a person's participations, a relation's events);
- connections at the root (ROOTS): how many rows they page through, and for `missions`,
  how its `country`, `hostCountry` and `kind` arguments narrow them (from the countries'
  own counts of posts kept and hosted);
- the countries' row ids by alpha-2 code, so that `country(code:)` and `relation(between:)`
  name the parent whose own counts apply.

The figures are read in a few statements when the app starts, then in the background
every half minute (which also catches imports and other processes' writes), and a second
after this process writes (several writes in that second, one read): no request waits
for them, and a request's estimate reads only these in-memory figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLSchema, is_object_type
from sqlalchemy import Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models, quality, queries
from db.countries import find_iso_country
from schema.compiled.compiler import handler_of
from schema.compiled.fields import Listed
from schema.ids import parse_id

MAX_AGE_SECONDS = 30.0
# After a write, the figures are read again this much later (writes meanwhile share the read).
AFTER_WRITE_SECONDS = 1.0
# The parents whose own counts are kept, per list: the heaviest (every one where there are
# no more). The others count the mean of theirs.
KEPT_PARENTS = 400

log = logging.getLogger("bilateral.list_sizes")

# The tables connections under an object are counted from (CONNECTIONS).
_EC = models.event_country
_OTHER = _EC.alias("other_country")
_P = models.Participation
_R = models.Relation


def _relation_events() -> Any:
    """Each relation's events (those both its countries take part in), by its countries'
    ids: counted relation by relation, not from every pair of countries of every event,
    which events of a dozen countries multiply."""
    shared = (
        select(func.count())
        .select_from(_EC)
        .join(
            _OTHER,
            (_OTHER.c.event_id == _EC.c.event_id) & (_OTHER.c.country_id == _R.country_b_id),
        )
        .where(_EC.c.country_id == _R.country_a_id)
        .scalar_subquery()
    )
    each = select(_R.country_a_id, _R.country_b_id, shared.label("n")).subquery()
    return select(each).where(each.c.n > 0)


# Connections under an object, by "Type.field": the rows each parent has, as (parent key
# columns..., n), from the link tables (a relation's by its two countries' ids).
CONNECTIONS: dict[str, Callable[[], Any]] = {
    "Country.events": lambda: select(_EC.c.country_id, func.count().label("n")).group_by(
        _EC.c.country_id
    ),
    "Relation.events": lambda: _relation_events(),
    "Person.participations": lambda: (
        select(_P.person_id, func.count().label("n"))
        .where(_P.person_id.is_not(None))
        .group_by(_P.person_id)
    ),
    "Organization.participations": lambda: (
        select(_P.organization_id, func.count().label("n"))
        .where(_P.organization_id.is_not(None))
        .group_by(_P.organization_id)
    ),
}
# The table each connection's parents are rows of.
CONNECTION_PARENTS: dict[str, Any] = {
    "Country.events": models.Country.__table__,
    "Relation.events": models.Relation.__table__,
    "Person.participations": models.Person.__table__,
    "Organization.participations": models.Organization.__table__,
}
# Connections of Query, by field: the rows they page through when no argument narrows them.
ROOTS: dict[str, Callable[[], Select[Any]]] = {
    "countries": lambda: queries.country_ids(None),
    "missions": lambda: queries.mission_ids((), None, None),
    "people": lambda: queries.named_ids(models.Person, "person", None),
    "organizations": lambda: queries.named_ids(models.Organization, "organization", None),
    "events": lambda: queries.event_ids(queries.EventCriteria()),
    "changes": lambda: queries.change_ids(),
}


def listed_fields(schema: GraphQLSchema) -> dict[str, Listed]:
    """Every list field whose compiled form says how its lists are grouped, by "Type.field"."""
    found: dict[str, Listed] = {}
    for type_ in schema.type_map.values():
        if not is_object_type(type_) or type_.name.startswith("__"):
            continue
        for name, field_ in type_.fields.items():
            handler = handler_of(field_)
            if isinstance(handler, Listed):
                found[f"{type_.name}.{name}"] = handler
    return found


@dataclass
class Lists:
    """One list field's lists, as measured."""

    longest: int = 0
    rows: int = 0  # the rows all its lists hold together
    groups: int = 0  # the parents with a list that is not empty
    # The lists of the heaviest parents (all of them when `complete`), by the parent's key.
    kept: dict[Any, int] = field(default_factory=dict)
    complete: bool = False
    parents: int = 0  # the rows of the parents' table, with a list or not
    median: float = 0.0  # the median length of the lists that are not empty

    @property
    def mean(self) -> float:
        """The mean length of a parent's list, over all parents (the empty lists too):
        what a list under many parents holds for each."""
        if self.parents:
            return self.rows / max(self.parents, self.groups)
        return self.rows / self.groups if self.groups else 0.0

    @property
    def typical(self) -> float:
        """The length of a typical list that is not empty: their median (their mean where
        it is not known), which a few long lists (the US's posts' chiefs of mission) do not
        move as they move the mean."""
        if self.median:
            return self.median
        return self.rows / self.groups if self.groups else 0.0

    @property
    def present(self) -> float:
        """The share of the parents whose list is not empty."""
        return min(self.groups / self.parents, 1.0) if self.parents else 1.0

    def of(self, key: Any) -> float:
        """The length of one parent's list, the parent a query names: its own where kept
        (none where every parent's is kept and it is not among them), else the mean of the
        lists not kept that are not empty (a query names a parent it expects to find data
        about)."""
        if key in self.kept:
            return float(self.kept[key])
        if self.complete and any(type(kept) is type(key) for kept in self.kept):
            return 0.0
        return self.typical


async def _groups(session: AsyncSession, groups: Any, keys: int) -> Lists:
    """The figures of one grouping, from a statement of (key columns..., n): how many lists
    have each length (whence the longest, the rows, the lists and the median), and the
    heaviest parents' own (by one key, or by a pair of keys in either order)."""
    counted = groups.subquery()
    lengths = [
        (int(n), int(lists))
        for n, lists in await session.execute(
            select(counted.c.n, func.count()).group_by(counted.c.n).order_by(counted.c.n)
        )
    ]
    longest = lengths[-1][0] if lengths else 0
    rows = sum(n * lists for n, lists in lengths)
    groups_count = sum(lists for _, lists in lengths)
    columns = list(counted.c)[:keys]
    heaviest = await session.execute(
        select(*columns, counted.c.n).order_by(counted.c.n.desc()).limit(KEPT_PARENTS)
    )
    kept: dict[Any, int] = {}
    for row in heaviest:
        key = row[0] if keys == 1 else frozenset(row[:keys])
        kept[key] = kept.get(key, 0) + int(row[keys])
    complete = len(kept) == groups_count
    return Lists(longest, rows, groups_count, kept, complete, 0, _median(lengths))


def _median(histogram: list[tuple[int, int]]) -> float:
    """The median of list lengths given as (length, how many lists), shortest first."""
    lists = sum(groups for _, groups in histogram)
    seen = 0
    for length, groups in histogram:
        seen += groups
        if 2 * seen >= lists:
            return float(length)
    return 0.0


async def _parents(session: AsyncSession, column: Any, tables: dict[str, int]) -> int:
    """The rows of the table a grouping column names the parents in: the table its foreign
    key points at, or its own where it is the key (a relation's id)."""
    if isinstance(column, Table):
        table = column
    else:
        keys = list(column.foreign_keys)
        table = keys[0].column.table if keys else column.table
    if table.name not in tables:
        counted = select(func.count()).select_from(table)
        tables[table.name] = int((await session.execute(counted)).scalar_one())
    return tables[table.name]


class ListSizes:
    """The figures the node estimate reads, kept fresh in the background."""

    def __init__(self, schema: GraphQLSchema, max_age: float = MAX_AGE_SECONDS) -> None:
        self.max_age = max_age
        self.listed = listed_fields(schema)
        self.lists: dict[str, Lists] = {}
        # For each list narrowed by an argument, the rows of each value of its column.
        self.values: dict[str, dict[Any, int]] = {}
        self.roots: dict[str, int] = {}  # the rows of each root connection
        self.countries: dict[str, int] = {}  # row ids by alpha-2 code
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._pending = False

    # What the estimate reads.

    def measured(self, type_name: str, field_name: str) -> Lists | None:
        """The figures of a list field or a connection under an object; None if unmeasured."""
        name = f"{type_name}.{field_name}"
        fixed = self.listed[name].fixed if name in self.listed else None
        if fixed is not None:
            return Lists(fixed, 0, 0, {}, False)
        return self.lists.get(name)

    def own(self, type_name: str, field_name: str) -> bool:
        """Whether each row of the list sits in one parent's list (a foreign key of its own)."""
        handler = self.listed.get(f"{type_name}.{field_name}")
        return handler is not None and handler.own

    def share(self, type_name: str, field_name: str, arguments: dict[str, Any]) -> float:
        """The share of the list's rows its narrowing argument keeps (1 where none narrows)."""
        name = f"{type_name}.{field_name}"
        handler = self.listed.get(name)
        counts = self.values.get(name)
        narrowing = None if handler is None else handler.only
        if narrowing is None or not counts:
            return 1.0
        wanted = narrowing.wanted(arguments)
        if wanted is None:
            return 1.0
        if not isinstance(wanted, list | tuple):  # one value, compared folded: a typical one
            return 1 / len(counts)
        # The lists were counted among the rows the field always narrows to (a country's
        # embassies), or among all rows.
        counted = narrowing.fixed if handler is not None and handler.where is not None else None
        every = sum(counts.get(value, 0) for value in counted) if counted else sum(counts.values())
        return sum(counts.get(value, 0) for value in set(wanted)) / every if every else 0.0

    def kinds_share(self, kinds: list[Any] | None) -> float:
        """The share of all posts that are of these kinds (1 for none named)."""
        counts = self.values.get("Country.missions")
        if not kinds or not counts:
            return 1.0
        every = sum(counts.values())
        return sum(counts.get(kind, 0) for kind in set(kinds)) / every if every else 0.0

    def root(self, field_name: str) -> int | None:
        """The rows a root connection pages through, unnarrowed; None if unmeasured."""
        return self.roots.get(field_name)

    def identify(self, field_name: str, arguments: dict[str, Any]) -> tuple[str, Any] | None:
        """The one object a field of Query names by its arguments, as the type's name and
        the key its kept lists are counted by: a country by its code, an object by its
        global ID, a relation by its countries' ids; None for others (a person by the
        Office's id: the mean of a person's lists serves)."""
        if field_name == "country":
            found = find_iso_country(str(arguments.get("code", "")), arguments.get("scheme"))
            pk = None if found is None else self.countries.get(found.code)
            return None if pk is None else ("Country", pk)
        if field_name == "node":
            return parse_id(str(arguments.get("id", "")))
        if field_name == "relation":
            between = arguments.get("between") or []
            codes = [find_iso_country(str(code)) for code in between]
            pks = {self.countries.get(code.code) for code in codes if code is not None}
            if len(between) == 2 and len(pks) == 2 and None not in pks:
                return ("Relation", frozenset(pks))
        return None

    def expected_root(self, field_name: str, arguments: dict[str, Any]) -> float | None:
        """How many rows a connection of Query is expected to page through with these
        arguments; None where they cannot be told (a search's words)."""
        total = self.roots.get(field_name)
        if total is None or arguments.get("search") is not None:
            return None
        if field_name != "missions":
            return float(total)
        # A post's sender, host and kind taken as independent: each argument keeps its share.
        expected = total * self.kinds_share(arguments.get("kind"))
        for argument, kept in (("country", "missions"), ("hostCountry", "hostedMissions")):
            code = arguments.get(argument)
            if code is None:
                continue
            found = find_iso_country(str(code))
            pk = None if found is None else self.countries.get(found.code)
            figures = self.lists.get(f"Country.{kept}")
            if figures is None:
                return None
            if pk is None or not total:
                return 0.0  # no such country: no posts
            expected *= figures.of(pk) / total
        return expected

    # Reading them.

    async def read(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Read the figures now."""
        lists: dict[str, Lists] = {}
        values: dict[str, dict[Any, int]] = {}
        roots: dict[str, int] = {}
        tables: dict[str, int] = {}  # rows by table name, counted once a read
        async with sessions() as session:
            for name, handler in self.listed.items():
                if handler.fixed is not None or not handler.groupings:
                    continue
                parts = []
                for columns in handler.groupings:
                    groups = select(*columns, func.count().label("n")).group_by(*columns)
                    if handler.where is not None:
                        groups = groups.where(handler.where)
                    parts.append(await _groups(session, groups, len(columns)))
                    if len(columns) > 1:  # a pair's rows, in either order: the same rows again
                        break
                lists[name] = _summed(parts)
                lists[name].parents = await _parents(session, handler.groupings[0][0], tables)
                if handler.only is not None:
                    column = handler.only.column
                    rows = await session.execute(select(column, func.count()).group_by(column))
                    values[name] = {value: int(n) for value, n in rows}
            for name, grouped in CONNECTIONS.items():
                lists[name] = await _groups(session, grouped(), len(grouped().selected_columns) - 1)
                lists[name].parents = await _parents(session, CONNECTION_PARENTS[name], tables)
            for name, rows_of in ROOTS.items():
                counted = rows_of().subquery()
                roots[name] = int(
                    (await session.execute(select(func.count()).select_from(counted))).scalar_one()
                )
            # Lists of no grouping: every dataset, their counts (a JSON object each), the
            # quality issues' counts (one for each kind).
            releases = [
                dict(counts or {})
                for counts in await session.scalars(select(models.Dataset.counts))
            ]
            lists["Query.datasets"] = Lists(len(releases), len(releases), 1, {}, False, 1)
            lists["Dataset.counts"] = Lists(
                max(map(len, releases), default=0),
                sum(map(len, releases)),
                sum(1 for counts in releases if counts),
                {},
                False,
                len(releases),
            )
            kinds = len(quality.KINDS)
            lists["Query.qualityIssueCounts"] = Lists(kinds, kinds, 1, {}, False, 1)
            countries = await session.execute(select(models.Country.code, models.Country.id))
            codes = {str(code): int(pk) for code, pk in countries}
        self.lists, self.values, self.roots, self.countries = lists, values, roots, codes

    async def start(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Read the figures, then keep reading them every `max_age` seconds until stopped."""
        self._sessions = sessions
        await self._read_quietly()

        async def keep_reading() -> None:
            while True:
                await asyncio.sleep(self.max_age)
                await self._read_quietly()

        self._spawn(keep_reading())

    def expire(self) -> None:
        """Read the figures again in a second: this process has written, and a list may
        have grown (other writes in that second share the read)."""
        if self._sessions is None or self._pending:
            return
        self._pending = True

        async def soon() -> None:
            await asyncio.sleep(AFTER_WRITE_SECONDS)
            self._pending = False
            await self._read_quietly()

        self._spawn(soon())

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _read_quietly(self) -> None:
        assert self._sessions is not None
        try:
            await self.read(self._sessions)
        except Exception as error:  # the old figures serve until the database answers again
            log.warning("could not read the list sizes: %r", error)

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _summed(parts: list[Lists]) -> Lists:
    """A list made of several groupings (a country's relations as either country): each
    parent's lists add up."""
    if len(parts) == 1:
        return parts[0]
    kept: dict[Any, int] = {}
    for part in parts:
        for key, count in part.kept.items():
            kept[key] = kept.get(key, 0) + count
    rows = sum(part.rows for part in parts)
    groups = max(part.groups for part in parts)  # a parent in several groupings counts once
    complete = all(part.complete for part in parts)
    longest = max((*kept.values(), *(part.longest for part in parts)), default=0)
    median = sum(part.median for part in parts)  # each grouping's typical list adds up
    return Lists(longest, rows, groups, kept if complete else {}, complete, 0, median)
