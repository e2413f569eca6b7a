"""Keeping a relation wherever two countries are linked: by a post one keeps in the other, a
post's accreditation to the other, or an event between them.

A relation follows from those facts, so every writer that adds one calls `ensure_relations`
(with the pairs it touched, or None for all), and one that takes a link away calls
`drop_unlinked_relations` with the pairs it touched; what the sources say of a relation — when it
was established, where it stands — is written by the importers that read them, and keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, delete, exists, insert, or_, select, tuple_, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db import models
from db.base import table_of

Pair = tuple[int, int]


def ordered(first: int, second: int) -> Pair:
    """A pair as a relation stores it: the smaller country id first."""
    return (first, second) if first < second else (second, first)


def _ordered_columns(first: Any, second: Any) -> tuple[Any, Any]:
    return (
        case((first < second, first), else_=second).label("a"),
        case((first < second, second), else_=first).label("b"),
    )


def linked_pairs() -> Any:
    """Every ordered pair of distinct countries some post, accreditation or event links."""
    M, A = models.Mission, models.Accreditation
    first, second = aliased(models.event_country), aliased(models.event_country)
    return union(
        select(*_ordered_columns(M.country_id, M.host_country_id)).where(
            M.country_id != M.host_country_id
        ),
        select(*_ordered_columns(M.country_id, A.country_id))
        .join(A, A.mission_id == M.id)
        .where(A.country_id.is_not(None), A.country_id != M.country_id),
        select(first.c.country_id.label("a"), second.c.country_id.label("b"))
        .join(second, second.c.event_id == first.c.event_id)
        .where(first.c.country_id < second.c.country_id),
    ).subquery("linked")


async def ensure_relations(session: AsyncSession, pairs: Iterable[Pair] | None = None) -> int:
    """Add the relation of each pair that has none; the number added. `pairs`: pairs the
    caller has just linked (by the posts or events it wrote); None: every linked pair, found
    in the database. Relations are never removed here: one may carry what a source says."""
    R = models.Relation
    if pairs is None:
        linked = linked_pairs()
        missing = select(linked.c.a, linked.c.b).where(
            ~exists().where(R.country_a_id == linked.c.a, R.country_b_id == linked.c.b)
        )
        result = await session.execute(
            insert(table_of(R)).from_select(["country_a_id", "country_b_id"], missing)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
    wanted = {ordered(*pair) for pair in pairs if pair[0] != pair[1]}
    if not wanted:
        return 0
    countries = sorted({country for pair in wanted for country in pair})
    rows = await session.execute(
        select(R.country_a_id, R.country_b_id).where(
            R.country_a_id.in_(countries), R.country_b_id.in_(countries)
        )
    )
    new = sorted(wanted - {(a, b) for a, b in rows})
    if new:
        await session.execute(
            insert(table_of(R)), [{"country_a_id": a, "country_b_id": b} for a, b in new]
        )
    return len(new)


async def event_pairs(session: AsyncSession, event_ids: Iterable[int]) -> list[Pair]:
    """The ordered pairs of countries these events involve (as their event_country rows say)."""
    first, second = aliased(models.event_country), aliased(models.event_country)
    rows = await session.execute(
        select(first.c.country_id, second.c.country_id)
        .join(second, second.c.event_id == first.c.event_id)
        .where(first.c.event_id.in_(list(event_ids)), first.c.country_id < second.c.country_id)
        .distinct()
    )
    return [(a, b) for a, b in rows]


async def drop_unlinked_relations(session: AsyncSession, pairs: Iterable[Pair]) -> int:
    """Remove the relations of these pairs that nothing links any more, unless a source says
    something of the relation itself (when it was established, where it stands, its sources or
    bodies): then it stays. The number removed."""
    wanted = sorted({ordered(*pair) for pair in pairs if pair[0] != pair[1]})
    if not wanted:
        return 0
    R = models.Relation
    linked = linked_pairs()
    sourced = or_(
        R.established.is_not(None),
        R.status.is_not(None),
        exists().where(models.relation_source.c.relation_id == R.id),
        exists().where(models.relation_organization.c.relation_id == R.id),
    )
    stale = select(R.id).where(
        tuple_(R.country_a_id, R.country_b_id).in_(wanted),
        ~sourced,
        ~exists().where(linked.c.a == R.country_a_id, linked.c.b == R.country_b_id),
    )
    result = await session.execute(delete(R).where(R.id.in_(stale)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def ensure_event_relations(session: AsyncSession, event_ids: Iterable[int]) -> int:
    """Add the relation of every pair of countries these events involve that has none (their
    event_country rows must be current)."""
    return await ensure_relations(session, await event_pairs(session, event_ids))


def unrelated_linked_pairs() -> Any:
    """The linked pairs without a relation (none, once `ensure_relations` has run)."""
    linked = linked_pairs()
    R = models.Relation
    return select(linked.c.a, linked.c.b).where(
        ~exists().where(R.country_a_id == linked.c.a, R.country_b_id == linked.c.b)
    )
