"""Objects as JSON, for the change log's before and after: names and codes, not row ids.

Each function takes a batch of row ids and reads every object in a few statements, so that
an import logging thousands of objects costs what one logging a few does; an id with no
row is left out (before a create, after a delete). `db.kinds` says which function writes
which kind; `db.writes.changes` calls them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import model_of, table_of
from db.chunks import rows_in

Snapshots = dict[int, dict[str, Any]]


async def _objects(session: AsyncSession, model: Any, ids: Sequence[int]) -> list[Any]:
    return await _read(session, model, model.id, ids)


async def _read(session: AsyncSession, model: Any, parent: Any, ids: Sequence[int]) -> list[Any]:
    """The rows of a model whose `parent` column holds one of these ids, in the order they were
    added, each read by attribute under the model's names (a column "from" is `start`). Plain
    rows, not ORM objects: an import reads thousands, and building each would cost more."""
    attributes = inspect(model).column_attrs
    statement = select(*(a.columns[0].label(a.key) for a in attributes))
    return await rows_in(session, statement.order_by(parent, model.id), parent, ids)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


async def _codes(session: AsyncSession) -> dict[int, str]:
    return dict((await session.execute(select(models.Country.id, models.Country.code))).all())


async def _sources(
    session: AsyncSession, link: Any, ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each subject's sources, by the link table between them."""
    subject = next(column for column in link.c if column.name != "source_id")
    S = models.Source
    statement = (
        select(subject, S.title, S.section, S.url)
        .join(link, link.c.source_id == S.id)
        .order_by(subject, S.id)
    )
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for pk, title, section, url in await rows_in(session, statement, subject, ids):
        found[pk].append({"title": title, "section": section, "url": url})
    return found


async def _names(session: AsyncSession, model: Any, ids: set[int]) -> dict[int, str]:
    """The natural key of rows of a model: its code where it has one (a country), else its name."""
    label = getattr(model, "code", None) or model.name
    rows = await rows_in(session, select(model.id, label), model.id, sorted(ids))
    return dict(rows)


async def _participants(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """Each event's participants, as the kind and natural key of what each names, with its role."""
    P = models.Participation
    # A participation names one participant: the reference it holds besides its event and source.
    references = [
        column
        for column in table_of(P).c
        if column.foreign_keys and column.name not in ("event_id", "source_id")
    ]
    rows = await _read(session, P, P.event_id, ids)
    wanted: dict[Any, set[int]] = defaultdict(set)
    for row in rows:
        for column in references:
            if (pk := getattr(row, column.name)) is not None:
                wanted[column].add(pk)
    labels = {
        column: await _names(
            session,
            model_of(next(iter(column.foreign_keys)).column.table),
            pks,
        )
        for column, pks in wanted.items()
    }
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        named = {
            column.name.removesuffix("_id"): labels[column][pk]
            for column in references
            if (pk := getattr(row, column.name)) is not None
        }
        found[row.event_id].append({**named, "role": row.role})
    return found


async def events(session: AsyncSession, ids: Sequence[int]) -> Snapshots:
    codes = await _codes(session)
    link = models.event_country
    countries: dict[int, list[str]] = defaultdict(list)
    for event_id, country_id in await rows_in(
        session, select(link.c.event_id, link.c.country_id), link.c.event_id, ids
    ):
        countries[event_id].append(codes[country_id])
    F = models.Figure
    figures: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for figure in await _read(session, F, F.event_id, ids):
        figures[figure.event_id].append(
            {"label": figure.label, "value": figure.value, "unit": figure.unit}
        )
    participants = await _participants(session, ids)
    sources = await _sources(session, models.event_source, ids)
    return {
        event.id: {
            "title": event.title,
            "kind": event.kind.name,
            "date": _text(event.date),
            "endDate": _text(event.end_date),
            "place": event.place_name,
            "placeCountry": codes.get(event.place_country_id),
            "summary": event.summary,
            "visitType": None if event.visit_type is None else event.visit_type.name,
            "version": event.version,
            "countries": sorted(countries[event.id]),
            "participants": participants[event.id],
            "figures": figures[event.id],
            "sources": sources[event.id],
        }
        for event in await _objects(session, models.Event, ids)
    }


_PERSON_FACTS = {
    "born": "born",
    "died": "died",
    "careerType": "career_type",
    "historianId": "historian_id",
}


async def people(session: AsyncSession, ids: Sequence[int]) -> Snapshots:
    codes = await _codes(session)
    return {
        person.id: {
            "name": person.name,
            "country": codes.get(person.country_id),
            # What a source such as pocom says besides, where it says it.
            **{
                name: value
                for name, column in _PERSON_FACTS.items()
                if (value := getattr(person, column)) is not None
            },
        }
        for person in await _objects(session, models.Person, ids)
    }


async def organizations(session: AsyncSession, ids: Sequence[int]) -> Snapshots:
    codes = await _codes(session)
    return {
        organization.id: {
            "name": organization.name,
            "kind": organization.kind.name,
            "country": codes.get(organization.country_id),
            "founded": _text(organization.founded),
        }
        for organization in await _objects(session, models.Organization, ids)
    }


# The columns of a post that a source such as Wikidata gives, by their names in a snapshot.
_POST_FACTS = {
    "wikidata": "wikidata",
    "cityWikidata": "city_wikidata",
    "latitude": "latitude",
    "longitude": "longitude",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "facebook": "facebook",
    "twitter": "twitter",
    "youtube": "youtube",
}


async def _accreditations(
    session: AsyncSession, codes: dict[int, str], ids: Sequence[int]
) -> dict[int, list[str]]:
    """What each post is accredited to: a country's code, an organization's name, or another
    jurisdiction's Wikidata ID."""
    A, Org, J = models.Accreditation, models.Organization, models.Jurisdiction
    statement = (
        select(A.mission_id, A.country_id, Org.name, J.wikidata)
        .outerjoin(Org, Org.id == A.organization_id)
        .outerjoin(J, J.id == A.jurisdiction_id)
        .order_by(A.mission_id, A.id)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for mission_id, country_id, organization, jurisdiction in await rows_in(
        session, statement, A.mission_id, ids
    ):
        found[mission_id].append(codes[country_id] if country_id else organization or jurisdiction)
    return found


async def missions(session: AsyncSession, ids: Sequence[int]) -> Snapshots:
    codes = await _codes(session)
    A, C = models.MissionAddress, models.MissionClaim
    addresses: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in await _read(session, A, A.mission_id, ids):
        addresses[a.mission_id].append(
            {"address": a.address, "city": a.city, "from": _text(a.start), "to": _text(a.end)}
        )
    claims: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for c in await _read(session, C, C.mission_id, ids):
        claims[c.mission_id].append({"property": c.property, "value": c.value, "rank": c.rank.name})
    accreditations = await _accreditations(session, codes, ids)
    sources = await _sources(session, models.mission_source, ids)
    return {
        mission.id: {
            "name": mission.name,
            "kind": mission.kind.name,
            "country": codes[mission.country_id],
            "hostCountry": codes[mission.host_country_id],
            "city": mission.city,
            "opened": _text(mission.opened),
            "closed": _text(mission.closed),
            **{name: getattr(mission, column) for name, column in _POST_FACTS.items()},
            "accreditations": accreditations[mission.id],
            "addresses": addresses[mission.id],
            "sources": sources[mission.id],
            "claims": claims[mission.id],
        }
        for mission in await _objects(session, models.Mission, ids)
    }


# What a source such as pocom says of a tenure besides, by its name in a snapshot: shown
# where it says it, so that a tenure written without them reads as it did.
_TENURE_FACTS = {
    "heldOn": "held_on",
    "appointed": "appointed",
    "arrived": "arrived",
    "startNote": "start_note",
    "endNote": "end_note",
    "endKind": "end_kind",
    "note": "note",
    "until": "until",
    "historianId": "historian_id",
}


async def heads(session: AsyncSession, ids: Sequence[int]) -> Snapshots:
    rows = await _objects(session, models.HeadOfMission, ids)
    codes = await _codes(session)
    posts = await _names(session, models.Mission, {head.mission_id for head in rows})
    named = await _names(session, models.Person, {head.person_id for head in rows})
    sources = await _sources(session, models.head_of_mission_source, ids)
    return {
        head.id: {
            "mission": posts[head.mission_id],
            "person": named[head.person_id],
            "title": head.title,
            "ordinal": head.ordinal,
            "start": _text(head.start),
            "end": _text(head.end),
            "ongoing": head.ongoing,
            **{
                name: getattr(value, "name", None) or str(value)
                for name, column in _TENURE_FACTS.items()
                if (value := getattr(head, column)) is not None
            },
            **{
                name: codes[pk]
                for name, column in (
                    ("accreditedTo", "accredited_to_id"),
                    ("residentIn", "resident_in_id"),
                )
                if (pk := getattr(head, column)) is not None
            },
            "sources": sources[head.id],
        }
        for head in rows
    }


async def relations(session: AsyncSession, ids: Sequence[int]) -> Snapshots:
    codes = await _codes(session)
    sources = await _sources(session, models.relation_source, ids)
    return {
        relation.id: {
            "countries": sorted([codes[relation.country_a_id], codes[relation.country_b_id]]),
            "established": _text(relation.established),
            "status": None if relation.status is None else relation.status.name,
            "statusSince": _text(relation.status_since),
            "sources": sources[relation.id],
        }
        for relation in await _objects(session, models.Relation, ids)
    }
