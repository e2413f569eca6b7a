"""The text the search index holds of each searchable kind: (id, name, body, extra) per object.

`name` holds names and titles, `body` summaries and positions, `extra` quotes, cities,
addresses and places; `db.search` weighs them in that order. Which kinds are searched,
and with which of these, `db.kinds` says.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import Select, String, and_, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models


@cache  # the same names come back at every rebuild of the index
def key_of(text: str) -> str:
    """A name as a key: its words (letters and digits) without case or accents, one space apart."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", plain.casefold()))


# What each function gives: (id, name, body, extra) of each object of its kind.
Text = Select[int, str, str, str]


def _joined(column: Any, where: Any) -> Any:
    """The values of a column in the rows that meet a condition, joined by spaces ('' if none)."""
    return func.coalesce(
        select(func.aggregate_strings(column, " ")).where(where).scalar_subquery(), ""
    )


def country() -> Text:
    C = models.Country
    return select(
        C.id,
        # Its display name, ISO's and the official one, and those it is known by ("Turkey").
        C.name
        + " "
        + func.coalesce(C.iso_name, "")
        + " "
        + func.coalesce(C.official_name, "")
        + " "
        + cast(C.known_as, String),
        C.code + " " + C.alpha3,
        # Its names in every language with translations: "Belgique", "België".
        _joined(models.CountryName.name, models.CountryName.country_id == C.id),
    )


def mission() -> Text:
    M, A, Claim = models.Mission, models.MissionAddress, models.MissionClaim
    return select(
        M.id,
        M.name,
        M.city,
        # Addresses, and every source's name for the city ("Woluwe-Saint-Pierre").
        _joined(A.address + " " + A.city, A.mission_id == M.id)
        + " "
        + _joined(Claim.value, and_(Claim.mission_id == M.id, Claim.property == "city")),
    )


async def whole_names(
    session: AsyncSession, kind: str, ids: list[int] | None
) -> Iterable[tuple[int, str]]:
    """(id, name) for every whole name an object of a kind is called or found by: a country's
    names in every language and those it is known by; a post's name and its city as each
    source names it; a person's or organization's name, an event's title. A search for
    exactly one of them puts the object first (db/search.py)."""
    if kind == "country":
        C, N = models.Country, models.CountryName
        rows = await session.execute(
            _only(select(C.id, C.name, C.iso_name, C.official_name, C.known_as), C.id, ids)
        )
        found = [
            (pk, name) for pk, *names, known in rows for name in [*names, *(known or [])] if name
        ]
        translated = await session.execute(_only(select(N.country_id, N.name), N.country_id, ids))
        return [*found, *((pk, name) for pk, name in translated)]
    if kind == "mission":
        M, Claim = models.Mission, models.MissionClaim
        posts = (await session.execute(_only(select(M.id, M.name, M.city), M.id, ids))).all()
        claims = await session.execute(
            _only(select(Claim.mission_id, Claim.value), Claim.mission_id, ids).where(
                Claim.property == "city"
            )
        )
        cities = [(pk, city) for pk, _, city in posts if city]
        return [
            *((pk, name) for pk, name, _ in posts),
            *cities,
            *((pk, value) for pk, value in claims),
        ]
    pk_column, column = {
        "person": (models.Person.id, models.Person.name),
        "organization": (models.Organization.id, models.Organization.name),
        "event": (models.Event.id, models.Event.title),
    }[kind]
    rows = await session.execute(_only(select(pk_column, column), pk_column, ids))
    return [(pk, name) for pk, name in rows]


def _only(statement: Any, column: Any, ids: list[int] | None) -> Any:
    return statement if ids is None else statement.where(column.in_(ids))


def person() -> Text:
    P, Q, Pos = models.Person, models.Quote, models.Position
    return select(
        P.id,
        P.name,
        _joined(Pos.title, Pos.person_id == P.id),
        _joined(Q.text, Q.speaker_id == P.id),
    )


def organization() -> Text:
    Org = models.Organization
    return select(Org.id, Org.name, literal(""), literal(""))


def event() -> Text:
    E, Q = models.Event, models.Quote
    return select(
        E.id,
        E.title,
        E.summary,
        func.coalesce(E.place_name, "") + " " + _joined(Q.text, Q.event_id == E.id),
    )
