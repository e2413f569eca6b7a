"""A relation's events counted by decade and kind: the timeline's overview in one statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, Select, cast, func, select
from sqlalchemy.orm import aliased

from db import models
from db.models import EventKind
from db.session import Reader


@dataclass(frozen=True)
class Tally:
    """How many events of one kind fell in one decade (1830: the years 1830 to 1839)."""

    decade: int
    kind: EventKind
    count: int


def tallies(relation: Any, *, keyed: bool = True) -> Select[Any]:
    """(relation id, decade, kind, count) of the events that involve both countries of each
    relation `relation` stands for, grouped, in order; without the id where not `keyed` (for
    one relation: an outer query's row the statement is correlated with)."""
    E = models.Event
    first, second = aliased(models.event_country), aliased(models.event_country)
    decade = (cast(func.substr(E.date, 1, 4), Integer) // 10 * 10).label("decade")
    key = [relation.id] if keyed else []
    return (
        select(*key, decade, E.kind.label("kind"), func.count().label("count"))
        .select_from(E)
        .join(first, first.c.event_id == E.id)
        .join(second, second.c.event_id == E.id)
        .where(
            first.c.country_id == relation.country_a_id,
            second.c.country_id == relation.country_b_id,
        )
        .group_by(*key, decade, E.kind)
        .order_by(*key, decade, E.kind)
    )


async def tallies_of(reader: Reader, relation_ids: Sequence[int]) -> dict[int, list[Tally]]:
    """The tallies of each of these relations, in one statement."""
    R = models.Relation
    rows = await reader.execute(tallies(R).where(R.id.in_(relation_ids)))
    found: dict[int, list[Tally]] = defaultdict(list)
    for row in rows:
        relation_id, decade, kind, count = tuple(row)
        found[relation_id].append(Tally(int(decade), kind, int(count)))
    return found
