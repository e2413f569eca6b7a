"""Objects as JSON, for the change log's before and after: names and codes, not row ids."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models


def _text(value: object) -> str | None:
    return None if value is None else str(value)


async def _code(session: AsyncSession, country_id: int | None) -> str | None:
    if country_id is None:
        return None
    return await session.scalar(select(models.Country.code).where(models.Country.id == country_id))


async def _sources(session: AsyncSession, link: Any, column: str, pk: int) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(models.Source)
        .join(link, link.c.source_id == models.Source.id)
        .where(link.c[column] == pk)
        .order_by(models.Source.id)
    )
    return [{"title": s.title, "section": s.section, "url": s.url} for s in rows]


async def participant_label(session: AsyncSession, row: models.Participation) -> dict[str, Any]:
    """Who a participation names, as a kind and a human key."""
    if row.country_id is not None:
        return {"country": await _code(session, row.country_id)}
    for kind, model, pk in (
        ("person", models.Person, row.person_id),
        ("organization", models.Organization, row.organization_id),
        ("mission", models.Mission, row.mission_id),
    ):
        if pk is not None:
            return {kind: await session.scalar(select(model.name).where(model.id == pk))}
    return {}


async def _event(session: AsyncSession, pk: int) -> dict[str, Any] | None:
    event = await session.get(models.Event, pk)
    if event is None:
        return None
    participations = await session.scalars(
        select(models.Participation)
        .where(models.Participation.event_id == pk)
        .order_by(models.Participation.id)
    )
    countries = await session.scalars(
        select(models.Country.code)
        .join(models.event_country, models.event_country.c.country_id == models.Country.id)
        .where(models.event_country.c.event_id == pk)
        .order_by(models.Country.code)
    )
    figures = await session.scalars(
        select(models.Figure).where(models.Figure.event_id == pk).order_by(models.Figure.id)
    )
    return {
        "title": event.title,
        "kind": event.kind.name,
        "date": _text(event.date),
        "endDate": _text(event.end_date),
        "place": event.place_name,
        "placeCountry": await _code(session, event.place_country_id),
        "summary": event.summary,
        "version": event.version,
        "countries": list(countries),
        "participants": [
            {**await participant_label(session, row), "role": row.role} for row in participations
        ],
        "figures": [{"label": f.label, "value": f.value, "unit": f.unit} for f in figures],
        "sources": await _sources(session, models.event_source, "event_id", pk),
    }


async def _person(session: AsyncSession, pk: int) -> dict[str, Any] | None:
    person = await session.get(models.Person, pk)
    if person is None:
        return None
    return {"name": person.name, "country": await _code(session, person.country_id)}


async def _organization(session: AsyncSession, pk: int) -> dict[str, Any] | None:
    organization = await session.get(models.Organization, pk)
    if organization is None:
        return None
    return {
        "name": organization.name,
        "kind": organization.kind.name,
        "country": await _code(session, organization.country_id),
        "founded": _text(organization.founded),
    }


async def _mission(session: AsyncSession, pk: int) -> dict[str, Any] | None:
    mission = await session.get(models.Mission, pk)
    if mission is None:
        return None
    addresses = await session.scalars(
        select(models.MissionAddress)
        .where(models.MissionAddress.mission_id == pk)
        .order_by(models.MissionAddress.id)
    )
    return {
        "name": mission.name,
        "kind": mission.kind.name,
        "country": await _code(session, mission.country_id),
        "hostCountry": await _code(session, mission.host_country_id),
        "city": mission.city,
        "opened": _text(mission.opened),
        "closed": _text(mission.closed),
        "addresses": [
            {"address": a.address, "city": a.city, "from": _text(a.start), "to": _text(a.end)}
            for a in addresses
        ],
        "sources": await _sources(session, models.mission_source, "mission_id", pk),
        "claims": [
            {"property": c.property, "value": c.value, "rank": c.rank.name}
            for c in await session.scalars(
                select(models.MissionClaim)
                .where(models.MissionClaim.mission_id == pk)
                .order_by(models.MissionClaim.id)
            )
        ],
    }


async def _head(session: AsyncSession, pk: int) -> dict[str, Any] | None:
    head = await session.get(models.HeadOfMission, pk)
    if head is None:
        return None
    return {
        "mission": await session.scalar(
            select(models.Mission.name).where(models.Mission.id == head.mission_id)
        ),
        "person": await session.scalar(
            select(models.Person.name).where(models.Person.id == head.person_id)
        ),
        "title": head.title,
        "ordinal": head.ordinal,
        "start": _text(head.start),
        "end": _text(head.end),
        "ongoing": head.ongoing,
        "sources": await _sources(session, models.head_of_mission_source, "head_of_mission_id", pk),
    }


_SNAPSHOTS = {
    "event": _event,
    "person": _person,
    "organization": _organization,
    "mission": _mission,
    "head_of_mission": _head,
}


async def snapshot(session: AsyncSession, target: str, pk: int) -> dict[str, Any] | None:
    """The object as JSON, or None when it does not exist (before a create, after a delete)."""
    return await _SNAPSHOTS[target](session, pk)
