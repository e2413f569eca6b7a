"""Dates known to year, month or day precision: "1957", "2023-10", "2022-03-18".

A partial date is stored as the ISO text it was written as. ISO text sorts as the
periods it names (by first day, the coarser period first), and a period's bounds can
be compared in SQL without knowing its precision, so one indexed column serves
ordering, range filters and exact rendering.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import ColumnElement, String, and_, literal, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.types import TypeDecorator

_SHAPE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only


class Precision(Enum):
    """How much of a partial date is known."""

    YEAR = 4
    MONTH = 7
    DAY = 10


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; it denotes the whole period."""

    text: str

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ISO 8601 reduced-precision text; raise ValueError saying what is wrong."""
        match = _SHAPE.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f'"{text}" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD')
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        if year < 1:
            raise ValueError(f'"{text}" has no year 0')
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f'"{text}" has no month {month}')
        if month is not None and day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f'"{text}" has no day {day}: that month has {last} days')
        return cls(text)

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        """The partial date of one known day."""
        return cls(day.isoformat())

    @classmethod
    def today(cls) -> PartialDate:
        """Today, the date questions such as "who heads the post?" are asked for by default."""
        return cls.of(dt.date.today())

    @property
    def precision(self) -> Precision:
        """Whether the year, the month or the day is known."""
        return Precision(len(self.text))

    @property
    def first_day(self) -> dt.date:
        """The first day of the period this date names."""
        parts = [int(part) for part in self.text.split("-")]
        return dt.date(*parts, *[1] * (3 - len(parts)))

    @property
    def last_day(self) -> dt.date:
        """The last day of the period this date names."""
        parts = [int(part) for part in self.text.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        month = parts[1] if len(parts) == 2 else 12
        return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])

    def __str__(self) -> str:
        return self.text


class PartialDateType(TypeDecorator[PartialDate]):
    """A PartialDate column, stored as its ISO text."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, PartialDate):
            return value.text
        return PartialDate.parse(value).text

    def process_result_value(self, value: str | None, dialect: Dialect) -> PartialDate | None:
        return None if value is None else PartialDate(value)


def overlaps(
    column: ColumnElement[PartialDate] | QueryableAttribute[PartialDate],
    start: PartialDate | None,
    end: PartialDate | None,
) -> ColumnElement[bool]:
    """True where the column's period shares at least one day with [start, end].

    A stored period begins before the end of a bound when its text sorts at or before
    the bound's last day; it ends after the start of a bound when its text, followed by
    a character that sorts after every digit and dash, sorts at or after the bound's
    first day.
    """
    conditions: list[ColumnElement[bool]] = []
    if end is not None:
        conditions.append(column <= PartialDate.of(end.last_day))
    if start is not None:
        text = type_coerce(column, String)
        conditions.append(text >= start.first_day.isoformat()[:4])  # lets an index narrow the scan
        conditions.append(text.concat(literal("~", String)) >= start.first_day.isoformat())
    return and_(*conditions)
