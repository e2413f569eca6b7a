"""The text the search index holds of each searchable kind: (id, name, body, extra) per object.

`name` holds names and titles, `body` summaries and positions, `extra` quotes, cities,
addresses and places; `db.search` weighs them in that order. Which kinds are searched,
and with which of these, `db.kinds` says.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, literal, select

from db import models

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
        C.name,
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
