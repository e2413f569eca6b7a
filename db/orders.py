"""The orders lists come in, as SQL: one definition each, for the resolvers and the compiler alike.

Each function takes the model or an alias of it, so a compiled statement can order
rows of a table it reads at several depths.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func

from db import models

Order = list[ColumnElement[Any]]


def began(start: Any, held_on: Any) -> ColumnElement[Any]:
    """The earliest date known of a tenure or position: its start, or a date it was held on.

    Dates are ISO text, which sorts as the periods do (a year before its months).
    """
    return case(
        (start.is_(None), held_on),
        (held_on.is_(None), start),
        (held_on < start, held_on),
        else_=start,
    )


def tenure(head: Any = models.HeadOfMission) -> Order:
    """Heads by when their tenure began, as far as known; one known only by its end (a chargé
    whose start the Office did not record) placed by that end; those never dated last."""
    first = func.coalesce(began(head.start, head.held_on), head.end)
    return [first.is_(None), first, head.id]


def office(position: Any = models.Position) -> Order:
    """Positions by the earliest date known of each; those never dated last."""
    first = began(position.start, position.held_on)
    return [first.is_(None), first, position.id]


def by_name(row: Any) -> Order:
    """Named rows (posts, organizations) by name, then id."""
    return [row.name, row.id]


def by_code(country: Any) -> Order:
    """Countries by alpha-2 code."""
    return [country.code]


def by_id(row: Any) -> Order:
    """Rows in the order they were recorded."""
    return [row.id]


def addresses(address: Any = models.MissionAddress) -> Order:
    """A post's addresses, oldest first."""
    return [address.start, address.id]


def kind_periods(period: Any = models.MissionKindPeriod) -> Order:
    """A post's kinds through time, oldest first."""
    return [period.start, period.id]


def claims(claim: Any = models.MissionClaim) -> Order:
    """A post's claims by property, then in the order they were recorded."""
    return [claim.property, claim.id]


def quotes_of_speaker(quote: Any = models.Quote) -> Order:
    """What a person is quoted as saying, by date."""
    return [quote.date, quote.id]


def by_scheme(code: Any = models.CountryIdentifier) -> Order:
    """A country's codes by scheme."""
    return [code.scheme]
