"""Which countries an event involves: those named for it and those its participants stand for."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, literal_column, select, true, union
from sqlalchemy.ext.asyncio import AsyncSession

from db import models


async def refresh_event_countries(session: AsyncSession, event_ids: Iterable[int] | None) -> None:
    """Recompute the materialized event_country rows of these events (None: of every event)."""
    ids = None if event_ids is None else list(event_ids)
    if ids == []:
        return

    def scope(column: Any) -> ColumnElement[bool]:
        return true() if ids is None else column.in_(ids)

    P, D = models.Participation, models.EventCountryDeclared
    sources = union(
        select(D.event_id, D.country_id).where(scope(D.event_id)),
        select(P.event_id, P.country_id).where(P.country_id.is_not(None), scope(P.event_id)),
        select(P.event_id, models.Person.country_id)
        .join(models.Person, models.Person.id == P.person_id)
        .where(models.Person.country_id.is_not(None), scope(P.event_id)),
        select(P.event_id, models.Organization.country_id)
        .join(models.Organization, models.Organization.id == P.organization_id)
        .where(models.Organization.country_id.is_not(None), scope(P.event_id)),
        # A post stands for the country that keeps it and the country it is in.
        select(P.event_id, models.Mission.country_id)
        .join(models.Mission, models.Mission.id == P.mission_id)
        .where(scope(P.event_id)),
        select(P.event_id, models.Mission.host_country_id)
        .join(models.Mission, models.Mission.id == P.mission_id)
        .where(scope(P.event_id)),
    ).subquery()
    table = models.event_country
    await session.execute(delete(table).where(scope(table.c.event_id)))
    await session.execute(
        insert(table).from_select(
            ["event_id", "country_id"],
            select(literal_column("event_id"), literal_column("country_id")).select_from(sources),
        )
    )
