"""Which countries an event involves: those named for it and those its participants stand for."""

from collections.abc import Iterable

from sqlalchemy import delete, insert, literal_column, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from db import models


async def refresh_event_countries(session: AsyncSession, event_ids: Iterable[int]) -> None:
    """Recompute the materialized event_country rows of these events."""
    ids = list(event_ids)
    if not ids:
        return
    P = models.Participation
    named = select(models.EventCountryDeclared.event_id, models.EventCountryDeclared.country_id)
    sources = union(
        named.where(models.EventCountryDeclared.event_id.in_(ids)),
        select(P.event_id, P.country_id).where(P.country_id.is_not(None), P.event_id.in_(ids)),
        select(P.event_id, models.Person.country_id)
        .join(models.Person, models.Person.id == P.person_id)
        .where(models.Person.country_id.is_not(None), P.event_id.in_(ids)),
        select(P.event_id, models.Organization.country_id)
        .join(models.Organization, models.Organization.id == P.organization_id)
        .where(models.Organization.country_id.is_not(None), P.event_id.in_(ids)),
        # A post stands for the country that keeps it and the country it is in.
        select(P.event_id, models.Mission.country_id)
        .join(models.Mission, models.Mission.id == P.mission_id)
        .where(P.event_id.in_(ids)),
        select(P.event_id, models.Mission.host_country_id)
        .join(models.Mission, models.Mission.id == P.mission_id)
        .where(P.event_id.in_(ids)),
    ).subquery()
    table = models.event_country
    await session.execute(delete(table).where(table.c.event_id.in_(ids)))
    await session.execute(
        insert(table).from_select(
            ["event_id", "country_id"],
            select(literal_column("event_id"), literal_column("country_id")).select_from(sources),
        )
    )
