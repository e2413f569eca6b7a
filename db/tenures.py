"""Who headed a post, and where it was, on a given date: only as far as the data says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from db import models
from db.partial_date import PartialDate

T = TypeVar("T")
Span = tuple[dt.date, dt.date]


def _cut(first: dt.date, last: dt.date, successor: PartialDate | None) -> Span:
    """A span that a successor's start, if any, brings to an end the day before."""
    if successor is not None and successor.first_day > first:
        last = min(last, successor.first_day - dt.timedelta(days=1))
    return first, last


def _latest_during(spans: list[tuple[Span | None, T]], on: PartialDate) -> T | None:
    """Of the items whose span shares a day with `on`, the one that began last."""
    hits = [
        (span[0], index, item)
        for index, (span, item) in enumerate(spans)
        if span is not None and span[0] <= on.last_day and span[1] >= on.first_day
    ]
    return max(hits, key=lambda hit: (hit[0], hit[1]))[2] if hits else None


def _began(head: models.HeadOfMission) -> PartialDate | None:
    known = [date for date in (head.start, head.held_on) if date is not None]
    return min(known) if known else None


def tenure_span(head: models.HeadOfMission, successor: PartialDate | None) -> Span | None:
    """The days a tenure is known to cover; None when the data places it nowhere.

    It runs from its start (or the first day the sources show the head in office) to
    its end; an ongoing one runs on, and one whose end is unknown covers only the days
    the sources vouch for. A successor's start ends it in any case.
    """
    known = [date for date in (head.start, head.held_on) if date is not None]
    if not known:
        return None
    first = min(date.first_day for date in known)
    if head.end is not None:
        last = head.end.last_day
    elif head.ongoing:
        last = dt.date.max
    else:
        last = max(date.last_day for date in known)
    return _cut(first, last, successor)


def head_on(heads: Sequence[models.HeadOfMission], on: PartialDate) -> models.HeadOfMission | None:
    """The head in office during `on`, or None where the data does not say."""
    placed = [head for head in in_tenure_order(heads) if _began(head) is not None]
    spans = [
        (tenure_span(head, _began(placed[i + 1]) if i + 1 < len(placed) else None), head)
        for i, head in enumerate(placed)
    ]
    return _latest_during(spans, on)


def address_on(
    addresses: Sequence[models.MissionAddress], on: PartialDate
) -> models.MissionAddress | None:
    """The address a post had during `on`; one with no end holds until the next move.

    An address whose start is unknown is taken to be the first the post had.
    """

    def began(item: models.MissionAddress) -> dt.date:
        return item.start.first_day if item.start is not None else dt.date.min

    placed = sorted(addresses, key=began)
    spans: list[tuple[Span | None, models.MissionAddress]] = []
    for i, item in enumerate(placed):
        last = item.end.last_day if item.end is not None else dt.date.max
        successor = placed[i + 1].start if i + 1 < len(placed) else None
        spans.append((_cut(began(item), last, successor), item))
    return _latest_during(spans, on)


def in_tenure_order(heads: Sequence[models.HeadOfMission]) -> list[models.HeadOfMission]:
    """Heads by when their tenure began (as far as known), those never placed last."""
    return sorted(heads, key=lambda head: (_began(head) is None, str(_began(head) or ""), head.id))


def in_office_order(positions: Sequence[models.Position]) -> list[models.Position]:
    """Positions by the earliest date known of each, those never dated last."""

    def began(position: models.Position) -> PartialDate | None:
        known = [date for date in (position.start, position.held_on) if date is not None]
        return min(known) if known else None

    return sorted(
        positions, key=lambda item: (began(item) is None, str(began(item) or ""), item.id)
    )
