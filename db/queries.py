"""The selections connections page through, and their orders; shared by resolvers and loaders."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import ColumnElement, Select, and_, case, exists, or_, select
from sqlalchemy.orm import aliased

from db import models
from db.models import EventKind, MissionKind
from db.pages import Column, Key, Keyset
from db.partial_date import PartialDate, overlaps
from db.search import SearchWords, matching_ids, search_page

ec = models.event_country


# How a country's row id is found from its alpha-2 code, in SQL.
CountryPk = Callable[[str], ColumnElement[int]]


@runtime_checkable
class CountedCountries(Protocol):
    """A CountryPk that knows how many events each country has (the compiler's, read at
    start), and so where a list of the events of some countries is best begun."""

    def __call__(self, code: str) -> ColumnElement[int]: ...

    def start_from(self, codes: Sequence[str]) -> str | None:
        """The country whose own events are fewer to read than the events by date up to a
        page of those of all these countries; None to walk the events by date."""
        ...

    def busy(self) -> list[int]:
        """The row ids of the countries in a large share of all events (the US in the
        Office of the Historian's): a list of two countries' events begins at the other."""
        ...


@dataclass(frozen=True)
class EventCriteria:
    """What an event must satisfy to be listed; hashable, so it can key a DataLoader."""

    country_codes: tuple[str, ...] = ()  # ISO alpha-2 codes, upper case
    kinds: tuple[EventKind, ...] = ()
    start: PartialDate | None = None
    end: PartialDate | None = None
    # (kind, id): kind is one of country, person, organization, mission.
    participant: tuple[str, int] | None = None
    text_query: SearchWords | None = None  # words the title or summary must have

    def conditions(self, pk_of: CountryPk | None = None) -> list[ColumnElement[bool]]:
        """The WHERE conditions on models.Event these criteria stand for; `pk_of` gives a
        country's row id for its code (default: a subquery)."""
        pk_of = pk_of or country_pk
        E = models.Event
        found: list[ColumnElement[bool]] = [
            exists().where(ec.c.event_id == E.id, ec.c.country_id == pk_of(code))
            for code in self.country_codes
        ]
        if self.kinds:
            found.append(E.kind.in_(self.kinds))
        if self.start is not None or self.end is not None:
            found.append(overlaps(E.date, self.start, self.end))
        if self.participant is not None:
            kind, pk = self.participant
            P = models.Participation
            found.append(exists().where(P.event_id == E.id, getattr(P, f"{kind}_id") == pk))
        if self.text_query is not None:
            found.append(E.id.in_(matching_ids(self.text_query, "event")))
        return found


def country_pk(code: str) -> ColumnElement[int]:
    """The row id of the country with this alpha-2 code, as a subquery (NULL if absent)."""
    return select(models.Country.id).where(models.Country.code == code).scalar_subquery()


def events_order(descending: bool) -> Keyset:
    """Events by date (each period by its first day, coarser first), then by id."""
    name = "events-desc" if descending else "events"
    return Keyset(name, (Key(models.Event.date, descending), Key(models.Event.id, descending)))


# The events of each parent row: given the criteria and how a country's row id is found, the
# ids of those events that meet them, and the column that says whose each one is.
Selection = Callable[["EventCriteria", "CountryPk | None"], tuple[Select[Any], Column]]


def event_ids(criteria: EventCriteria, pk_of: CountryPk | None = None) -> Select[Any]:
    """Ids of the events that meet the criteria.

    Where `pk_of` knows the countries' events, the events of a quiet country are read from
    that country's own (its index), not by walking every event by date until a page of
    matches: on SQLite that walk reads all 100,000 events at scale 1 for two quiet
    countries, and one plan serves every value there.
    """
    statement = select(models.Event.id).where(*criteria.conditions(pk_of))
    if isinstance(pk_of, CountedCountries):
        start = pk_of.start_from(criteria.country_codes)
        if start is not None:
            own = select(ec.c.event_id).where(ec.c.country_id == pk_of(start))
            statement = statement.where(models.Event.id.in_(own))
    return statement


def country_event_ids(
    criteria: EventCriteria, pk_of: CountryPk | None = None
) -> tuple[Select[Any], Column]:
    """Event ids per involved country (the second value is the parent column)."""
    statement = (
        select(models.Event.id)
        .join(ec, ec.c.event_id == models.Event.id)
        .where(*criteria.conditions(pk_of))
    )
    return statement, ec.c.country_id


def relation_event_ids(
    criteria: EventCriteria, pk_of: CountryPk | None = None
) -> tuple[Select[Any], Column]:
    """Event ids per relation: the events that involve both of its countries.

    Where `pk_of` knows the busy countries, a relation's events are read from its other
    country's and each probed for the busy one: for the US's 239 relations that reads
    each partner's few events, not the US's 8,700 for every relation.
    """
    first, second = aliased(ec), aliased(ec)
    R = models.Relation
    one: Any = R.country_a_id
    other: Any = R.country_b_id
    busy = pk_of.busy() if isinstance(pk_of, CountedCountries) else []
    if busy:
        swapped = R.country_a_id.in_(busy)
        one = case((swapped, R.country_b_id), else_=R.country_a_id)
        other = case((swapped, R.country_a_id), else_=R.country_b_id)
    statement = (
        select(models.Event.id)
        .join(first, first.c.event_id == models.Event.id)
        .join(R, one == first.c.country_id)
        .join(
            second,
            and_(second.c.event_id == models.Event.id, second.c.country_id == other),
        )
        .where(*criteria.conditions(pk_of))
    )
    return statement, R.id


# Participations in the order of their events' dates, then their own ids.
PARTICIPATIONS = Keyset("participations", (Key(models.Event.date), Key(models.Participation.id)))


def participation_ids(kind: str) -> tuple[Select[Any], Column]:
    """Participation ids per participant of one kind (person or organization)."""
    P = models.Participation
    statement = select(P.id).join(models.Event, models.Event.id == P.event_id)
    return statement, getattr(P, f"{kind}_id")


# People and organizations by name, then id.
PEOPLE = Keyset("people", (Key(models.Person.name), Key(models.Person.id)))
ORGANIZATIONS = Keyset(
    "organizations", (Key(models.Organization.name), Key(models.Organization.id))
)


def named_ids(
    model: type[models.Person] | type[models.Organization], kind: str, search: SearchWords | None
) -> Select[Any]:
    """Ids of every person or organization, or of those matching an FTS query."""
    statement = select(model.id)
    if search is not None:
        statement = statement.where(model.id.in_(matching_ids(search, kind)))
    return statement


def country_ids(search: SearchWords | None, former: bool = False) -> Select[Any]:
    """Ids of today's countries (with `former`, of those that no longer exist as well), or of
    those matching an FTS query."""
    statement = select(models.Country.id)
    if not former:
        statement = statement.where(models.Country.former.is_(False))
    if search is not None:
        statement = statement.where(models.Country.id.in_(matching_ids(search, "country")))
    return statement


COUNTRIES = Keyset("countries", (Key(models.Country.code),))
CHANGES = Keyset("changes", (Key(models.Change.id, descending=True),))  # ids grow: newest first


def change_ids(target: tuple[str | None, int] | None = None) -> Select[Any]:
    """Ids of the change log's entries; with a target (its kind, its row id), only its own."""
    ids = select(models.Change.id)
    if target is None:
        return ids
    kind, pk = target
    return ids.where(models.Change.target_type == kind, models.Change.target_id == pk)


MISSIONS = Keyset("missions", (Key(models.Mission.name), Key(models.Mission.id)))


def mission_ids(
    kinds: tuple[MissionKind, ...], country: str | None, host_country: str | None
) -> Select[Any]:
    """Ids of the missions of some kinds, kept by one country (alpha-2 code), in another."""
    M = models.Mission
    statement = select(M.id)
    if kinds:
        statement = statement.where(M.kind.in_(kinds))
    if country is not None:
        statement = statement.where(M.country_id == country_pk(country))
    if host_country is not None:
        statement = statement.where(M.host_country_id == country_pk(host_country))
    return statement


def posts_of_relation(relation: Any, mission: Any) -> ColumnElement[bool]:
    """The posts either country of a relation keeps in the other (a join condition)."""
    return or_(
        and_(
            mission.country_id == relation.country_a_id,
            mission.host_country_id == relation.country_b_id,
        ),
        and_(
            mission.country_id == relation.country_b_id,
            mission.host_country_id == relation.country_a_id,
        ),
    )


def search_results(words: SearchWords | None) -> tuple[Select[Any], Keyset]:
    """The search results for some words, best match first."""
    ids, keys = search_page(words)
    return ids, Keyset("search", tuple(keys))
