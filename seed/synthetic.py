"""A synthetic diplomatic network for load and scale tests: deterministic, skewed like the real one.

At scale 1: every ISO country (a few keep hundreds of posts, most a handful), 8,000
posts, 60,000 tenures, 40,000 people, 5,000 organizations and 100,000 events from
1950 on, each involving 0-5 countries, 0-6 people and 0-3 organizations (about
400,000 participations). The same scale always gives the same rows. Rows go in with
bulk inserts, a table at a time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.base import Base, table_of
from db.involvement import refresh_event_countries
from db.models import EventKind, MissionKind, OrganizationKind
from db.partial_date import PartialDate
from db.search import rebuild_search_index
from db.session import analyze
from seed.load import ready_for_facts

SOURCE_TITLE = "Bilateral synthetic data"
_BATCH = 20_000

_GIVEN = [
    "Ana",
    "Ben",
    "Chen",
    "Dara",
    "Elif",
    "Farid",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kofi",
    "Lena",
    "Marta",
    "Nia",
    "Omar",
    "Pia",
    "Quan",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zora",
]
_FAMILY = [
    "Abara",
    "Bauer",
    "Costa",
    "Dlamini",
    "Eriksen",
    "Fujita",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kaur",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Santos",
    "Tanaka",
    "Umarov",
    "Virtanen",
    "Wong",
    "Xu",
    "Yilmaz",
    "Zeller",
]
_TITLES = {
    MissionKind.EMBASSY: ("Embassy", "Ambassador"),
    MissionKind.CONSULATE_GENERAL: ("Consulate General", "Consul General"),
    MissionKind.CONSULATE: ("Consulate", "Consul"),
    MissionKind.HONORARY_CONSULATE: ("Honorary Consulate", "Honorary Consul"),
}
_NO_PARTICIPANT = {
    "country_id": None,
    "person_id": None,
    "organization_id": None,
    "mission_id": None,
}
_TOPICS = [
    "trade agreement",
    "state visit",
    "defence talks",
    "cultural festival",
    "investment forum",
    "student exchange",
    "joint exercise",
    "summit",
    "energy deal",
    "health cooperation",
]


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind a scale asks for."""

    missions: int
    tenures: int
    people: int
    organizations: int
    events: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        def n(count: int) -> int:
            return max(1, round(count * scale))

        return cls(n(8_000), n(60_000), n(40_000), n(5_000), n(100_000))


async def _bulk(session: AsyncSession, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    table = table_of(model)  # a Core insert: the ORM's bulk path costs far more per row
    for start in range(0, len(rows), _BATCH):
        await session.execute(insert(table), list(rows[start : start + _BATCH]))


def _day(rng: random.Random, start_year: int = 1950) -> dt.date:
    first = dt.date(start_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(first, dt.date(2025, 12, 31).toordinal()))


def _partial(rng: random.Random, day: dt.date) -> PartialDate:
    """A date written to the precision sources often give: mostly days, some months or years."""
    roll = rng.random()
    if roll < 0.1:
        return PartialDate(str(day.year))
    if roll < 0.3:
        return PartialDate(day.isoformat()[:7])
    return PartialDate.of(day)


@dataclass
class _Network:
    """One scale's rows, drawn in a fixed order from one seeded generator.

    A few countries keep most posts and people: a country's weight falls off with its
    rank in a shuffled list, so the network is skewed like the real one.
    """

    rng: random.Random
    sizes: Sizes
    countries: list[int]  # every country's row id, in id order
    ranked: list[int]  # the same, shuffled: the first are the busiest
    weights: list[float]
    source_id: int

    @classmethod
    def drawn(
        cls, rng: random.Random, sizes: Sizes, countries: list[int], source_id: int
    ) -> _Network:
        ranked = countries[:]
        rng.shuffle(ranked)
        weights = [1 / (rank + 1) ** 0.9 for rank in range(len(ranked))]
        return cls(rng, sizes, countries, ranked, weights, source_id)

    def country(self) -> int:
        return self.rng.choices(self.ranked, self.weights)[0]

    def organizations(self) -> list[dict[str, Any]]:
        rng = self.rng
        return [
            {
                "id": i + 1,
                "name": f"Organization {i + 1:05d}",
                "kind": rng.choice(list(OrganizationKind)),
                "country_id": self.country() if rng.random() < 0.9 else None,
                "founded": _partial(rng, _day(rng, 1900)) if rng.random() < 0.5 else None,
                "source_id": self.source_id,
            }
            for i in range(self.sizes.organizations)
        ]

    def people(self) -> list[dict[str, Any]]:
        rng = self.rng
        return [
            {
                "id": i + 1,
                "name": f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)} {i + 1:05d}",
                "country_id": self.country(),
                "source_id": self.source_id,
            }
            for i in range(self.sizes.people)
        ]

    def missions(self) -> list[dict[str, Any]]:
        rng = self.rng
        missions: list[dict[str, Any]] = []
        for i in range(self.sizes.missions):
            sender = self.country()
            host = self.country()
            while host == sender:
                host = rng.choice(self.countries)
            kind = rng.choices(list(_TITLES), [6, 2, 1, 1])[0]
            city = f"City {i + 1:05d}"  # one post a city keeps every natural key apart
            missions.append(
                {
                    "id": i + 1,
                    "kind": kind,
                    "name": f"{_TITLES[kind][0]} {i + 1:05d}, {city}",
                    "country_id": sender,
                    "host_country_id": host,
                    "city": city,
                    "opened": PartialDate(str(rng.randint(1950, 2020))),
                }
            )
        return missions

    def tenures(self, missions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each post's heads one after another from its opening; the last is in office."""
        tenures: list[dict[str, Any]] = []
        per_mission = max(1, self.sizes.tenures // max(1, self.sizes.missions))
        for mission in missions:
            year = int(mission["opened"].text)
            for n in range(per_mission):
                last = n == per_mission - 1
                length = self.rng.randint(2, 5)
                tenures.append(
                    {
                        "mission_id": mission["id"],
                        "person_id": self.rng.randint(1, self.sizes.people),
                        "title": _TITLES[mission["kind"]][1],
                        "ordinal": n + 1,
                        "start": PartialDate(str(year)),
                        "end": None if last else PartialDate(str(year + length)),
                        "ongoing": last,
                        "held_on": None,
                    }
                )
                year += length
        return tenures

    def events(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """The events, the countries each declares, and who took part in each."""
        rng, sizes = self.rng, self.sizes
        events: list[dict[str, Any]] = []
        declared: list[dict[str, Any]] = []
        participations: list[dict[str, Any]] = []
        for i in range(sizes.events):
            event_id = i + 1
            day = _day(rng)
            topic = rng.choice(_TOPICS)
            events.append(
                {
                    "id": event_id,
                    "title": f"{topic.capitalize()} {event_id:06d}",
                    "kind": rng.choice(list(EventKind)),
                    "date": _partial(rng, day),
                    "end_date": None,
                    "place_name": None,
                    "place_country_id": None,
                    "summary": f"A {topic} recorded for load testing.",
                    "version": 1,
                }
            )
            for country in set(rng.choices(self.ranked, self.weights, k=rng.randint(0, 5))):
                declared.append({"event_id": event_id, "country_id": country})
            # Every row names every column, so that all of them go in as one bulk insert.
            base = {"event_id": event_id, "role": "participant", "source_id": self.source_id}
            people = rng.choices(range(1, sizes.people + 1), k=min(6, int(rng.expovariate(0.4))))
            for person in set(people):
                participations.append({**base, **_NO_PARTICIPANT, "person_id": person})
            organizations = rng.choices(range(1, sizes.organizations + 1), k=rng.randint(0, 3))
            for organization in set(organizations):
                participations.append({**base, **_NO_PARTICIPANT, "organization_id": organization})
        return events, declared, participations


async def seed_synthetic(
    sessions: async_sessionmaker[AsyncSession], scale: float, *, reset: bool = False
) -> Sizes | None:
    """Fill the database with the synthetic network; None when it holds facts and `reset` is not asked for."""
    sizes = Sizes.at(scale)
    async with sessions() as session, session.begin():
        if not await ready_for_facts(session, reset=reset):
            return None
        await _load(session, scale, sizes)
    await analyze(sessions)
    return sizes


async def _load(session: AsyncSession, scale: float, sizes: Sizes) -> None:
    """Insert the network's rows, a table at a time, and what is derived from them."""
    countries = list(await session.scalars(select(models.Country.id).order_by(models.Country.id)))
    source = models.Source(title=SOURCE_TITLE, section=f"scale {scale:g}")
    session.add(source)
    await session.flush()
    rng = random.Random(f"bilateral-{scale}")  # the same scale, the same rows
    network = _Network.drawn(rng, sizes, countries, source.id)
    await _bulk(session, models.Organization, network.organizations())
    await _bulk(session, models.Person, network.people())
    missions = network.missions()
    await _bulk(session, models.Mission, missions)
    await _bulk(session, models.HeadOfMission, network.tenures(missions))
    events, declared, participations = network.events()
    await _bulk(session, models.Event, events)
    await _bulk(session, models.EventCountryDeclared, declared)
    await _bulk(session, models.Participation, participations)
    await refresh_event_countries(session, None)
    await rebuild_search_index(session)
    if session.get_bind().dialect.name == "postgresql":
        await _continue_sequences(session)


async def _continue_sequences(session: AsyncSession) -> None:
    """Rows came with their ids; PostgreSQL's id sequences must carry on after them."""
    for table in ("organization", "person", "mission", "event"):
        await session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        )
