"""Who headed a post and where it was on a date, told only as far as the data says.

The questions are SQL (db/tenures.py); each test puts its rows in a fresh in-memory
database and asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import ScalarSelect, create_engine, insert, literal, select
from sqlalchemy.orm import Session

from db import models, sqlite_driver, tenures
from db.base import Base
from db.partial_date import PartialDate

Row = TypeVar("Row", models.HeadOfMission, models.MissionAddress)


def _ask(model: type[Row], rows: Sequence[Row], question: ScalarSelect[int]) -> Row | None:
    """The row (of `rows`, stored at post 1) whose id a question about post 1 gives."""
    engine = create_engine("sqlite://", module=sqlite_driver.sqlite)
    Base.metadata.create_all(engine)
    columns = [attribute.key for attribute in model.__mapper__.column_attrs]
    with Session(engine) as session:
        session.execute(
            insert(model), [{key: getattr(row, key) for key in columns} for row in rows]
        )
        found = session.execute(select(question)).scalar()
    engine.dispose()
    return next((row for row in rows if row.id == found), None)


def head_on(heads: Sequence[models.HeadOfMission], on: PartialDate) -> models.HeadOfMission | None:
    return _ask(models.HeadOfMission, heads, tenures.head_on(literal(1), on))


def address_on(
    addresses: Sequence[models.MissionAddress], on: PartialDate
) -> models.MissionAddress | None:
    return _ask(models.MissionAddress, addresses, tenures.address_on(literal(1), on))


def date(text: str) -> PartialDate:
    return PartialDate.parse(text)


def head(
    id: int,
    *,
    start: str | None = None,
    end: str | None = None,
    ongoing: bool = False,
    held_on: str | None = None,
) -> models.HeadOfMission:
    """A tenure at post 1 of the person with the same id as the tenure."""
    return models.HeadOfMission(
        id=id,
        mission_id=1,
        person_id=id,
        title="Ambassador",
        start=date(start) if start else None,
        end=date(end) if end else None,
        ongoing=ongoing,
        held_on=date(held_on) if held_on else None,
    )


def address(id: int, start: str | None, end: str | None) -> models.MissionAddress:
    return models.MissionAddress(
        id=id,
        mission_id=1,
        address=f"Street {id}",
        city="Brussels",
        start=date(start) if start else None,
        end=date(end) if end else None,
    )


LAI = head(1, start="1975")
KHALID = head(2, start="2023-10", ongoing=True)


def test_a_tenure_with_an_unknown_end_covers_its_start_year() -> None:
    assert head_on([LAI], date("1975")) is LAI


def test_a_tenure_with_an_unknown_end_does_not_cover_the_year_after_its_start() -> None:
    assert head_on([LAI], date("1976")) is None


def test_a_tenure_with_an_unknown_end_does_not_cover_a_later_decade() -> None:
    assert head_on([LAI], date("2000")) is None


def test_a_tenure_with_an_unknown_end_covers_the_last_day_of_its_start_year() -> None:
    assert head_on([LAI], date("1975-12-31")) is LAI
    assert head_on([LAI], date("1976-01-01")) is None


def test_an_ongoing_tenure_covers_today() -> None:
    assert head_on([LAI, KHALID], PartialDate.today()) is KHALID


def test_an_ongoing_tenure_does_not_cover_the_month_before_it_began() -> None:
    assert head_on([LAI, KHALID], date("2023-09")) is None


def test_an_ongoing_tenure_runs_to_today_and_no_further() -> None:
    tomorrow = PartialDate.of(PartialDate.today().last_day + dt.timedelta(days=1))
    assert head_on([LAI, KHALID], date("2099")) is None
    assert head_on([LAI, KHALID], tomorrow) is None
    assert head_on([LAI, KHALID], date("9999-12-31")) is None


def test_a_successors_start_ends_an_ongoing_predecessor_the_day_before() -> None:
    first, second = head(1, start="2010", ongoing=True), head(2, start="2015-06-02")
    assert head_on([first, second], date("2015-06-01")) is first
    assert head_on([first, second], date("2015-06-02")) is second
    assert head_on([first, second], date("2015-06-03")) is None  # the second's end is unknown


# The database holds one ongoing head per post; a predecessor whose recorded end runs
# past the successor's start is cut short by it just the same.
EARLIER = head(1, start="2010", end="2016")
LATER = head(2, start="2015-06", ongoing=True)


def test_of_overlapping_tenures_the_earlier_holds_until_the_later_begins() -> None:
    assert head_on([LATER, EARLIER], date("2015-05")) is EARLIER


def test_of_overlapping_tenures_the_later_holds_once_it_has_begun() -> None:
    assert head_on([EARLIER, LATER], date("2020")) is LATER


def test_in_the_year_of_a_handover_the_head_who_began_last_is_found() -> None:
    assert head_on([EARLIER, LATER], date("2015")) is LATER


def test_a_recorded_end_is_covered() -> None:
    ended = head(1, start="2000", end="2004")
    assert head_on([ended], date("2004-12-31")) is ended


def test_a_recorded_end_is_respected_the_year_after() -> None:
    assert head_on([head(1, start="2000", end="2004")], date("2005")) is None


def test_a_head_known_only_on_one_day_is_found_on_that_day() -> None:
    gregoire = head(1, held_on="2022-03-18")
    assert head_on([gregoire], date("2022-03-18")) is gregoire


def test_a_head_known_only_on_one_day_is_found_in_that_month() -> None:
    gregoire = head(1, held_on="2022-03-18")
    assert head_on([gregoire], date("2022-03")) is gregoire


def test_a_head_known_only_on_one_day_is_not_found_the_next_year() -> None:
    assert head_on([head(1, held_on="2022-03-18")], date("2023")) is None


def test_a_head_known_only_on_one_day_is_not_found_the_day_after() -> None:
    assert head_on([head(1, held_on="2022-03-18")], date("2022-03-19")) is None


def test_a_head_the_data_places_nowhere_is_never_found() -> None:
    assert head_on([head(1)], date("2022")) is None
    placed = head(2, start="2020", ongoing=True)
    assert head_on([head(1), placed], date("2022")) is placed


FRANKLIN_ROOSEVELT = address(1, "1975", "1982")
TERVUEREN = address(2, "1982", None)


def test_the_address_before_the_move_is_the_first() -> None:
    assert address_on([TERVUEREN, FRANKLIN_ROOSEVELT], date("1980")) is FRANKLIN_ROOSEVELT


def test_the_address_in_the_year_of_the_move_is_the_new_one() -> None:
    assert address_on([FRANKLIN_ROOSEVELT, TERVUEREN], date("1982")) is TERVUEREN


def test_an_address_with_no_end_holds_to_this_day() -> None:
    assert address_on([FRANKLIN_ROOSEVELT, TERVUEREN], date("2024")) is TERVUEREN


def test_there_is_no_address_before_the_first_known_one() -> None:
    assert address_on([FRANKLIN_ROOSEVELT, TERVUEREN], date("1970")) is None


def test_an_address_with_an_unknown_start_counts_as_the_first() -> None:
    unknown, later = address(1, None, None), address(2, "1990", None)
    assert address_on([later, unknown], date("1950")) is unknown


def test_an_address_with_an_unknown_start_ends_where_the_next_begins() -> None:
    unknown, later = address(1, None, None), address(2, "1990", None)
    assert address_on([later, unknown], date("1995")) is later
