"""A relation's events counted by decade and kind: the timeline's overview in one statement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, Select, cast, func, select
from sqlalchemy.orm import aliased

from db import models
from db.models import EventKind


def tallies(relation: Any) -> Select[int, EventKind, int]:
    """(decade, kind, events) of the events that involve both countries of the relation
    `relation` stands for, grouped, in order of decade (1830: the years 1830 to 1839) and
    kind: for one relation, correlated with the row of an outer query; for many, grouped
    by the relation's id as well."""
    E = models.Event
    first, second = aliased(models.event_country), aliased(models.event_country)
    decade = (cast(func.substr(E.date, 1, 4), Integer) // 10 * 10).label("decade")
    return (
        select(decade, E.kind.label("kind"), func.count().label("events"))
        .select_from(E)
        .join(first, first.c.event_id == E.id)
        .join(second, second.c.event_id == E.id)
        .where(
            first.c.country_id == relation.country_a_id,
            second.c.country_id == relation.country_b_id,
        )
        .group_by(decade, E.kind)
        .order_by(decade, E.kind)
    )
