"""Who headed a post, and where it was, on a given date: only as far as the data says.

Both are SQL, so the resolvers (for many posts in one statement) and compiled queries
(inside their one statement) ask the same question. Dates are partial and stored as
ISO text; comparisons against a day use two facts about that text: a partial date
sorts as its first day does against a full date, and it followed by "~" (which sorts
after every digit and dash) sorts at or after a day exactly when its last day does.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    String,
    and_,
    bindparam,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import aliased

from db import models, orders
from db.partial_date import PartialDate


def first_day(value: Any) -> ColumnElement[str]:
    """The first day of a stored partial date, as ISO text: 2023 → 2023-01-01."""
    return func.substr(type_coerce(value, String).concat(literal("-01-01", String)), 1, 10)


def _days(on: PartialDate | None) -> tuple[ColumnElement[str], ColumnElement[str]]:
    """The first and last day of `on` as bound ISO text; with None, of the day the statement
    runs (the value is taken at execution, so a statement kept for later is not stuck on
    the day it was made)."""
    if on is not None:
        return literal(on.first_day.isoformat(), String), literal(on.last_day.isoformat(), String)
    first = bindparam(
        None, type_=String, callable_=lambda: PartialDate.today().first_day.isoformat()
    )
    last = bindparam(None, type_=String, callable_=lambda: PartialDate.today().last_day.isoformat())
    return first, last


def _lasts_until(value: Any, day: ColumnElement[str]) -> ColumnElement[bool]:
    """The stored period's last day is on or after `day` (NULL when the value is)."""
    return type_coerce(value, String).concat(literal("~", String)) >= day


def head_on(mission_id: Any, on: PartialDate | None, *outer: Any) -> ScalarSelect[int]:
    """The id of the head in office at the post during `on` (None: today); NULL where the
    data does not say.

    A tenure runs from the first date known of it (its start, or a day the sources
    show the head in office) to its end; an ongoing one runs on to today (a date after
    today has no head), and one whose end is
    unknown covers only the dates the sources vouch for (up to `until`, the last date a
    list of heads records, where it gives one). The next head's start ends
    it the day before in any case. Of the tenures that share a day with `on`, the one
    that began last is the answer. `outer` names what `mission_id` comes from, to
    correlate with.
    """
    head = aliased(models.HeadOfMission)
    began = orders.began(head.start, head.held_on)
    order = [began, head.id]  # tenure order, among the heads the data places in time
    placed = (
        select(
            head.id,
            head.end,
            head.ongoing,
            head.start,
            head.held_on,
            head.until,
            first_day(began).label("first"),
            func.lead(first_day(began)).over(order_by=order).label("successor"),
            func.row_number().over(order_by=order).label("position"),
        )
        .where(head.mission_id == mission_id, began.is_not(None))
        .correlate(*outer)
        .subquery()
    )
    start, end = _days(on)
    row = placed.c
    # An ongoing tenure runs to today, not beyond: no one knows who will head a post later.
    today = _days(None)[1] if on is not None else start
    lasts = or_(
        and_(row.end.is_not(None), _lasts_until(row.end, start)),
        and_(row.end.is_(None), row.ongoing == true(), start <= today),
        and_(
            row.end.is_(None),
            or_(
                _lasts_until(row.start, start),
                _lasts_until(row.held_on, start),
                _lasts_until(row.until, start),
            ),
        ),
    )
    return _latest(placed, and_(row.first <= end, lasts), start)


def address_on(mission_id: Any, on: PartialDate | None, *outer: Any) -> ScalarSelect[int]:
    """The id of the address the post had during `on` (None: today), or NULL.

    An address holds from its start (an unknown start counts as the first address)
    to its end, or until the next move when it has none.
    """
    address = aliased(models.MissionAddress)
    first = func.coalesce(first_day(address.start), literal("", String))
    order = [
        first,
        func.coalesce(type_coerce(address.start, String), literal("", String)),
        address.id,
    ]
    placed = (
        select(
            address.id,
            address.end,
            first.label("first"),
            func.lead(first_day(address.start)).over(order_by=order).label("successor"),
            func.row_number().over(order_by=order).label("position"),
        )
        .where(address.mission_id == mission_id)
        .correlate(*outer)
        .subquery()
    )
    start, end = _days(on)
    row = placed.c
    lasts = or_(row.end.is_(None), _lasts_until(row.end, start))
    return _latest(placed, and_(row.first <= end, lasts), start)


def _latest(
    placed: Any, covers: ColumnElement[bool], start: ColumnElement[str]
) -> ScalarSelect[int]:
    """Of the placed rows that cover the period (cut short by a successor), the one that began last."""
    row = placed.c
    # A successor that begins later ends a span the day before it begins.
    uncut = or_(row.successor.is_(None), row.successor <= row.first, row.successor > start)
    return (
        select(row.id)
        .where(covers, uncut)
        .order_by(row.first.desc(), row.position.desc())
        .limit(1)
        .scalar_subquery()
    )
