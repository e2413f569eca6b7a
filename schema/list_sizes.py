"""How long each list field's lists can be, as the database knows it, for an honest node estimate.

A plain list (not a connection) has no `first`; rather than assume a length, the node
estimate uses the longest list the field gives in the data: the largest group of the
rows it lists, by the columns its compiled form declares (schema.compiled.fields.Listed).
The figures are read in one statement when the app starts, then in the background
every half minute and soon after this process writes, so that no request waits for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from graphql import GraphQLSchema, is_object_type
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from schema.compiled.compiler import handler_of
from schema.compiled.fields import Listed

MAX_AGE_SECONDS = 30.0

log = logging.getLogger("bilateral.list_sizes")


def listed_fields(schema: GraphQLSchema) -> dict[str, Listed]:
    """Every list field whose compiled form says how its lists are grouped, by "Type.field"."""
    found: dict[str, Listed] = {}
    for type_ in schema.type_map.values():
        if not is_object_type(type_) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            handler = handler_of(field)
            if isinstance(handler, Listed):
                found[f"{type_.name}.{name}"] = handler
    return found


def _statement(listed: dict[str, Listed]) -> Any:
    """One row per grouping of every list field: its name, its largest group, the rows of
    all its groups and how many groups there are."""
    parts = []
    for name, handler in listed.items():
        for columns in handler.groupings:
            table = columns[0].table
            groups = select(func.count().label("n")).select_from(table).group_by(*columns)
            if handler.where is not None:
                groups = groups.where(handler.where)
            counted = groups.subquery()
            parts.append(
                select(
                    literal(name).label("field"),
                    func.coalesce(func.max(counted.c.n), 0).label("longest"),
                    func.coalesce(func.sum(counted.c.n), 0).label("rows"),
                    func.count().label("groups"),
                ).select_from(counted)
            )
    return union_all(*parts)


class ListSizes:
    """The longest list of each list field, kept fresh in the background."""

    def __init__(self, schema: GraphQLSchema, max_age: float = MAX_AGE_SECONDS) -> None:
        self.max_age = max_age
        self.listed = listed_fields(schema)
        self.longest: dict[str, int] = {
            name: handler.fixed
            for name, handler in self.listed.items()
            if handler.fixed is not None
        }
        # The rows all lists of a field hold together, for fields whose rows each sit in one
        # list (Listed.own): a bound on the items under any distinct parents.
        self.rows: dict[str, int] = {}
        # The mean length of a field's lists that are not empty: what a list under many
        # parents is likely to hold, where the longest is what one parent may hold.
        self.means: dict[str, float] = {}
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def of(self, type_name: str, field_name: str, default: int) -> int:
        """The longest list the field gives (at least 1), or `default` for one not measured."""
        found = self.longest.get(f"{type_name}.{field_name}")
        return default if found is None else max(found, 1)

    def total(self, type_name: str, field_name: str) -> int | None:
        """The rows all of a field's lists hold together, where each row sits in one list;
        None for other fields and those not measured yet."""
        return self.rows.get(f"{type_name}.{field_name}")

    def mean(self, type_name: str, field_name: str) -> float | None:
        """The mean length of the field's lists that are not empty; None if not measured."""
        return self.means.get(f"{type_name}.{field_name}")

    async def read(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Read the figures now."""
        async with sessions() as session:
            rows = (await session.execute(_statement(self.listed))).all()
        longest: dict[str, int] = {}
        totals: dict[str, int] = {}
        means: dict[str, float] = {}
        for field, size, held, groups in rows:
            longest[field] = longest.get(field, 0) + int(size)  # several groupings add up
            totals[field] = totals.get(field, 0) + int(held)
            means[field] = means.get(field, 0.0) + (int(held) / int(groups) if groups else 0.0)
        self.longest |= longest
        self.means = means
        self.rows = {name: held for name, held in totals.items() if self.listed[name].own}

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
        """Read the figures again soon: this process has written, and a list may be longer."""
        if self._sessions is not None:
            self._spawn(self._read_quietly())

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
