"""States that no longer exist, written as countries: every database has them.

Each former state of db/data/former-states.tsv is a country row (`former`), with its long
name and years and its predecessors and successors as a gsh archive gives them
(seed/history/territories.py). The country list adds those it lacks from the archive
Bilateral ships (`ensure_former_states`, called wherever the country list is made);
`bilateral import gsh-….tar.gz` writes them anew from the archive given (`load_former_states`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.countries import former_states
from db.search import reindex
from seed.history.archive import Archive, open_archive, shipped
from seed.history.territories import FormerStateHistory, former_state_histories


@dataclass
class FormerStatesReport:
    """What writing the former states did."""

    added: int = 0
    updated: int = 0
    links_changed: int = 0

    def __str__(self) -> str:
        return (
            f"former states: {self.added} added, {self.updated} updated, "
            f"{self.links_changed} links between states changed"
        )


@cache
def _shipped_histories() -> dict[str, FormerStateHistory]:
    return former_state_histories(open_archive(shipped("gsh")))


async def ensure_former_states(session: AsyncSession) -> None:
    """Add every former state the database lacks, as the shipped gsh archive describes it."""
    held = set(await session.scalars(select(models.Country.code).where(models.Country.former)))
    if held != {state.code for state in former_states()}:
        await _write(session, _shipped_histories(), update_known=False)


async def load_former_states(session: AsyncSession, gsh: Archive) -> FormerStatesReport:
    """Write every former state, its years and successions as this gsh archive gives them."""
    return await _write(session, former_state_histories(gsh), update_known=True)


async def _write(
    session: AsyncSession, histories: dict[str, FormerStateHistory], *, update_known: bool
) -> FormerStatesReport:
    C = models.Country
    report = FormerStatesReport()
    rows = {row.code: row for row in await session.execute(select(C.id, C.code, *_COLUMNS))}
    touched: list[int] = []
    for state in former_states():
        history = histories[state.code]
        values: dict[str, Any] = {
            "alpha3": state.alpha3,
            "name": state.name,
            "wikidata": state.wikidata,
            "former": True,
            "long_name": None if history.long_name == state.name else history.long_name,
            "existed_from": history.existed_from,
            "existed_until": history.existed_until,
        }
        row = rows.get(state.code)
        if row is None:
            pk = await session.scalar(insert(C).values(code=state.code, **values).returning(C.id))
            assert pk is not None
            touched.append(pk)
            report.added += 1
        elif update_known and any(getattr(row, name) != value for name, value in values.items()):
            await session.execute(update(C).where(C.id == row.id).values(**values))
            touched.append(row.id)
            report.updated += 1
    if touched or update_known:
        report.links_changed = await _link(session, histories)
    await reindex(session, "country", touched)
    return report


_COLUMNS = [
    getattr(models.Country, name)
    for name in (
        "alpha3",
        "name",
        "wikidata",
        "former",
        "long_name",
        "existed_from",
        "existed_until",
    )
]


async def _link(session: AsyncSession, histories: dict[str, FormerStateHistory]) -> int:
    """Make the links between states those the histories give; how many changed."""
    ids = dict((await session.execute(select(models.Country.code, models.Country.id))).all())
    wanted = {
        pair
        for code, history in histories.items()
        for pair in [
            *((ids[before], ids[code]) for before in history.predecessors if before in ids),
            *((ids[code], ids[after]) for after in history.successors if after in ids),
        ]
    }
    link = models.country_succession
    former = set(await session.scalars(select(models.Country.id).where(models.Country.former)))
    held = {
        (before, after)
        for before, after in await session.execute(
            select(link.c.predecessor_id, link.c.successor_id)
        )
        # Only links that touch a former state are this module's to keep.
        if before in former or after in former
    }
    for before, after in held - wanted:
        await session.execute(
            delete(link).where(link.c.predecessor_id == before, link.c.successor_id == after)
        )
    if new := wanted - held:
        await session.execute(
            insert(link),
            [{"predecessor_id": before, "successor_id": after} for before, after in new],
        )
    return len(held - wanted) + len(new)
