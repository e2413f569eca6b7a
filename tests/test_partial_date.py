"""Partial dates: what text they accept, the period each names, and how SQL matches periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError

from db.partial_date import PartialDate, PartialDateType, Precision, overlaps

STORED = ["2019", "2020", "2020-12-31", "2021", "2022", "2022-02-28", "2022-03", "2022-03-18"]

metadata = MetaData()
periods = Table(
    "period",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("date", PartialDateType),
)


@pytest.fixture
def engine() -> Iterator[Engine]:
    """A database holding one row for each of the STORED dates."""
    made = create_engine("sqlite://")
    metadata.create_all(made)
    with made.begin() as connection:
        connection.execute(insert(periods), [{"date": PartialDate.parse(t)} for t in STORED])
    yield made
    made.dispose()


def matching(engine: Engine, start: str | None, end: str | None) -> list[str]:
    """The stored dates whose period overlaps [start, end], in stored order."""
    bounds = (PartialDate.parse(start) if start else None, PartialDate.parse(end) if end else None)
    query = select(periods.c.date).where(overlaps(periods.c.date, *bounds)).order_by(periods.c.id)
    with engine.connect() as connection:
        return [str(date) for date in connection.scalars(query)]


def test_a_year_a_month_and_a_day_are_each_read_as_written() -> None:
    assert [str(PartialDate.parse(t)) for t in ("1957", "2023-10", "2022-03-18")] == [
        "1957",
        "2023-10",
        "2022-03-18",
    ]


def test_precision_is_the_part_of_the_date_that_is_known() -> None:
    assert [PartialDate.parse(t).precision for t in ("1957", "2023-10", "2022-03-18")] == [
        Precision.YEAR,
        Precision.MONTH,
        Precision.DAY,
    ]


def test_a_year_spans_from_the_first_of_january_to_the_last_of_december() -> None:
    year = PartialDate.parse("2020")
    assert (year.first_day, year.last_day) == (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


def test_a_month_spans_its_own_days_with_february_of_a_leap_year_ending_on_the_29th() -> None:
    month = PartialDate.parse("2024-02")
    assert (month.first_day, month.last_day) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_a_month_of_thirty_days_ends_on_the_30th() -> None:
    assert PartialDate.parse("2023-04").last_day == dt.date(2023, 4, 30)


def test_a_day_is_its_own_first_and_last_day() -> None:
    day = PartialDate.parse("2022-03-18")
    assert (day.first_day, day.last_day) == (dt.date(2022, 3, 18), dt.date(2022, 3, 18))


def test_dates_sort_by_first_day_with_the_coarser_period_first() -> None:
    texts = ["2022-03-18", "2023", "2022-03", "2021-12-31", "2022"]
    ordered = sorted(PartialDate.parse(t) for t in texts)
    assert [str(date) for date in ordered] == [
        "2021-12-31",
        "2022",
        "2022-03",
        "2022-03-18",
        "2023",
    ]


def test_the_29th_of_february_is_a_date_in_a_leap_year() -> None:
    assert PartialDate.parse("2024-02-29").last_day == dt.date(2024, 2, 29)


def test_the_29th_of_february_is_refused_in_a_common_year() -> None:
    with pytest.raises(ValueError, match=r'"2023-02-29" has no day 29: that month has 28 days'):
        PartialDate.parse("2023-02-29")


def test_a_thirtieth_of_february_is_refused_naming_the_day() -> None:
    with pytest.raises(ValueError, match=r'"1957-02-30" has no day 30: that month has 28 days'):
        PartialDate.parse("1957-02-30")


def test_a_thirteenth_month_is_refused_naming_the_month() -> None:
    with pytest.raises(ValueError, match=r'"2022-13" has no month 13'):
        PartialDate.parse("2022-13")


def test_year_zero_is_refused() -> None:
    with pytest.raises(ValueError, match=r'"0000" has no year 0'):
        PartialDate.parse("0000")


@pytest.mark.parametrize("text", ["soon", "2023-1", "", "22-03-18", "2022-03-18T00:00", " 2022"])
def test_text_not_shaped_like_an_iso_date_is_refused_naming_the_forms_allowed(text: str) -> None:
    expected = f'"{text}" is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD'
    with pytest.raises(ValueError) as error:
        PartialDate.parse(text)
    assert str(error.value) == expected


def test_a_column_round_trips_the_text_it_was_given(engine: Engine) -> None:
    with engine.connect() as connection:
        stored = list(connection.scalars(select(periods.c.date).order_by(periods.c.id)))
    assert stored == [PartialDate(t) for t in STORED]


def test_a_column_refuses_a_malformed_date_string_on_insert(engine: Engine) -> None:
    with engine.begin() as connection, pytest.raises(StatementError, match="has no month 13"):
        connection.execute(insert(periods), {"date": "2022-13"})


def test_from_a_month_includes_days_in_it_its_year_and_later_but_not_earlier_days(
    engine: Engine,
) -> None:
    assert matching(engine, "2022-03", None) == ["2022", "2022-03", "2022-03-18"]


def test_to_a_year_includes_its_last_day_and_itself_but_not_the_next_year(engine: Engine) -> None:
    assert matching(engine, None, "2020") == ["2019", "2020", "2020-12-31"]


def test_from_and_to_one_day_includes_that_day_and_the_periods_that_contain_it(
    engine: Engine,
) -> None:
    assert matching(engine, "2022-03-18", "2022-03-18") == ["2022", "2022-03", "2022-03-18"]


def test_from_a_day_excludes_a_month_that_ended_the_day_before(engine: Engine) -> None:
    assert matching(engine, "2022-03-01", "2022-12-31") == ["2022", "2022-03", "2022-03-18"]


def test_a_range_within_a_stored_year_but_after_its_stored_months_matches_only_the_year(
    engine: Engine,
) -> None:
    assert matching(engine, "2022-04", "2022-12-31") == ["2022"]
