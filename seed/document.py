"""The seed file format: reading a YAML document into checked, typed entries.

Every problem found is reported with the entry and field at fault, and the whole
file is read before anything is written, so a bad file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from db.countries import find_iso_country
from db.kinds import PARTICIPANTS
from db.models.enums import EventKind, MissionKind, OrganizationKind
from db.partial_date import PartialDate

E = TypeVar("E", bound=Enum)
T = TypeVar("T")


class SeedError(Exception):
    """The seed file is malformed; the message lists every fault with its place."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DocumentSource:
    """The document the file's facts come from."""

    title: str
    url: str | None


@dataclass(frozen=True)
class SourceEntry:
    """A source named by an entry itself, in place of the file's document and a section."""

    title: str
    section: str | None
    url: str | None


@dataclass(frozen=True)
class RelationEntry:
    countries: tuple[str, str]
    established: PartialDate | None
    section: str | None
    organizations: list[str]
    sources: tuple[SourceEntry, ...] = ()


@dataclass(frozen=True)
class OrganizationEntry:
    name: str
    kind: OrganizationKind
    country: str | None
    founded: PartialDate | None
    section: str | None


@dataclass(frozen=True)
class PositionEntry:
    title: str
    country: str | None
    organization: str | None
    start: PartialDate | None
    end: PartialDate | None
    held_on: PartialDate | None
    section: str | None


@dataclass(frozen=True)
class PersonEntry:
    name: str
    country: str | None
    section: str | None
    positions: list[PositionEntry]


@dataclass(frozen=True)
class AddressEntry:
    address: str
    city: str
    start: PartialDate | None
    end: PartialDate | None
    section: str | None


@dataclass(frozen=True)
class AccreditationEntry:
    country: str | None
    organization: str | None
    start: PartialDate | None
    end: PartialDate | None
    section: str | None


@dataclass(frozen=True)
class HeadEntry:
    person: str
    title: str
    ordinal: int | None
    start: PartialDate | None
    end: PartialDate | None
    ongoing: bool
    held_on: PartialDate | None
    section: str | None
    sources: tuple[SourceEntry, ...] = ()
    gap_before: bool = False


@dataclass(frozen=True)
class MissionEntry:
    name: str
    kind: MissionKind
    country: str
    host: str
    city: str
    opened: PartialDate | None
    closed: PartialDate | None
    section: str | None
    addresses: list[AddressEntry]
    accreditations: list[AccreditationEntry]
    heads: list[HeadEntry]
    sources: tuple[SourceEntry, ...] = ()


@dataclass(frozen=True)
class ParticipantEntry:
    """One participant: `kind` says which of the file's lists `ref` names an entry of."""

    kind: str  # country, person, organization or mission
    ref: str
    role: str | None


@dataclass(frozen=True)
class QuoteEntry:
    speaker: str
    text: str
    date: PartialDate | None


@dataclass(frozen=True)
class FigureEntry:
    label: str
    value: float
    unit: str


@dataclass(frozen=True)
class EventEntry:
    title: str
    kind: EventKind
    date: PartialDate
    end_date: PartialDate | None
    place_name: str | None
    place_country: str | None
    summary: str
    section: str | None
    countries: list[str]
    participants: list[ParticipantEntry]
    quotes: list[QuoteEntry]
    figures: list[FigureEntry]
    sources: tuple[SourceEntry, ...] = ()


@dataclass
class SeedDocument:
    """A whole seed file, checked."""

    source: DocumentSource
    relations: list[RelationEntry] = field(default_factory=list)
    organizations: list[OrganizationEntry] = field(default_factory=list)
    people: list[PersonEntry] = field(default_factory=list)
    missions: list[MissionEntry] = field(default_factory=list)
    events: list[EventEntry] = field(default_factory=list)


PARTICIPANT_KINDS = tuple(kind.name for kind in PARTICIPANTS)


class _Problem(Exception):
    """One fault, raised where it is found and collected by the entry being read."""


class _Entry:
    """One mapping of the file, read field by field; faults carry its path."""

    def __init__(self, value: Any, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        self.data: dict[str, Any] = value if isinstance(value, dict) else {}
        self.read: set[str] = set()
        if not isinstance(value, dict):
            self.fail(None, f"must be a mapping, not {_kind_of(value)}")

    def fail(self, key: str | None, message: str) -> None:
        self.problems.append(f"{self.at(key) if key else self.path or 'file'}: {message}")

    def at(self, key: str) -> str:
        """The path of one of this entry's fields."""
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, required: bool) -> Any:
        self.read.add(key)
        value = self.data.get(key)
        if value is None and required:
            raise _Problem("is required")
        return value

    def _field(self, key: str, read: Callable[[Any], T], required: bool, default: T) -> T:
        try:
            value = self._get(key, required)
            return default if value is None else read(value)
        except _Problem as problem:
            self.fail(key, str(problem))
            return default

    def text(self, key: str, *, required: bool = False) -> str | None:
        return self._field(key, _text, required, None)

    def required_text(self, key: str) -> str:
        return self._field(key, _text, True, "")

    def date(self, key: str, *, required: bool = False) -> PartialDate | None:
        return self._field(key, _date, required, None)

    def country(self, key: str, *, required: bool = False) -> str | None:
        return self._field(key, _country, required, None)

    def enum(self, key: str, kind: type[E]) -> E | None:
        return self._field(key, lambda value: _enum(value, kind), True, None)

    def integer(self, key: str) -> int | None:
        return self._field(key, _integer, False, None)

    def number(self, key: str) -> float:
        return self._field(key, _number, True, 0.0)

    def flag(self, key: str) -> bool:
        return self._field(key, _flag, False, False)

    def texts(self, key: str) -> list[str]:
        return self._field(key, lambda value: [_text(item) for item in _list(value)], False, [])

    def countries(self, key: str) -> list[str]:
        return self._field(key, lambda value: [_country(item) for item in _list(value)], False, [])

    def entries(self, key: str) -> Iterator[_Entry]:
        """The sub-entries of a list field, each with its own path."""
        items: list[Any] = self._field(key, _list, False, [])
        for index, item in enumerate(items):
            yield _Entry(item, f"{self.at(key)}[{index}]", self.problems)

    def finish(self) -> None:
        """Report fields this format does not know (a typo would silently drop a fact)."""
        for key in sorted(set(self.data) - self.read):
            self.fail(key, "is not a field of this entry")

    def named(self, key: str) -> _Entry:
        """Make the entry's path show its name, so that a message finds it in the file."""
        name = self.data.get(key)
        if isinstance(name, str):
            self.path = f'{self.path} "{name}"'
        return self


_KINDS = {bool: "true or false", int: "a number", float: "a number", str: "text", list: "a list"}


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    return _KINDS.get(type(value), "a mapping" if isinstance(value, dict) else "something else")


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Problem(f"must be non-empty text, not {_kind_of(value)}")
    return " ".join(value.split())


def _date(value: Any) -> PartialDate:
    if not isinstance(value, str):  # YAML reads an unquoted 1957 as a number
        raise _Problem(f'must be a quoted date such as "1957", not {_kind_of(value)}')
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise _Problem(f"malformed date: {error}") from None


def _country(value: Any) -> str:
    country = find_iso_country(value) if isinstance(value, str) else None
    if country is None:
        raise _Problem(f"unknown country code {value!r}")
    return country.code


def _enum(value: Any, kind: type[E]) -> E:
    try:
        return kind[value]
    except (KeyError, TypeError):
        names = ", ".join(member.name for member in kind)
        raise _Problem(f"unknown value {value!r}; expected one of {names}") from None


def _integer(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _Problem(f"must be a whole number, not {_kind_of(value)}")
    return value


def _number(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise _Problem(f"must be a number, not {_kind_of(value)}")
    return float(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Problem(f"must be true or false, not {_kind_of(value)}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Problem(f"must be a list, not {_kind_of(value)}")
    return value


def _read_sources(entry: _Entry) -> tuple[SourceEntry, ...]:
    """An entry's own `sources`, which stand in for the file's document and `section`."""
    found = []
    for item in entry.entries("sources"):
        found.append(
            SourceEntry(
                title=item.required_text("title"),
                section=item.text("section"),
                url=item.text("url"),
            )
        )
        item.finish()
    if found and entry.data.get("section") is not None:
        entry.fail("sources", "give either `section` or `sources`, not both")
    return tuple(found)


def _check_period(
    entry: _Entry, start: PartialDate | None, end: PartialDate | None, field: str
) -> None:
    if start is not None and end is not None and end.last_day < start.first_day:
        entry.fail(field, f"{end} is before the start {start}")


def read_document(path: Path) -> SeedDocument:
    """Read and check a seed file; raise SeedError listing every fault."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SeedError([f"{path}: cannot be read as YAML: {error}"]) from None
    return parse_document(raw)


def parse_document(raw: Any) -> SeedDocument:
    """Check a parsed seed file; raise SeedError listing every fault."""
    problems: list[str] = []
    root = _Entry(raw, "", problems)
    source = _read_source(_Entry(root._get("source", False), "source", problems))
    document = SeedDocument(source=source)
    for entry in root.entries("organizations"):
        document.organizations.append(_read_organization(entry.named("name")))
    for entry in root.entries("people"):
        document.people.append(_read_person(entry.named("name")))
    for entry in root.entries("missions"):
        document.missions.append(_read_mission(entry.named("name")))
    for entry in root.entries("relations"):
        document.relations.append(_read_relation(entry))
    for entry in root.entries("events"):
        document.events.append(_read_event(entry.named("title")))
    root.finish()
    _check_references(document, problems)
    if problems:
        raise SeedError(problems)
    return document


def _read_source(entry: _Entry) -> DocumentSource:
    source = DocumentSource(title=entry.required_text("title"), url=entry.text("url"))
    entry.finish()
    return source


def _read_relation(entry: _Entry) -> RelationEntry:
    faults = len(entry.problems)
    countries = entry.countries("countries")
    if len(set(countries)) != 2:
        if len(entry.problems) == faults:  # a bad code is reported already
            entry.fail("countries", "must name two different countries")
        countries = ["", ""]
    relation = RelationEntry(
        countries=(countries[0], countries[1]),
        established=entry.date("established"),
        section=entry.text("section"),
        organizations=entry.texts("organizations"),
        sources=_read_sources(entry),
    )
    entry.finish()
    return relation


def _read_organization(entry: _Entry) -> OrganizationEntry:
    organization = OrganizationEntry(
        name=entry.required_text("name"),
        kind=entry.enum("kind", OrganizationKind) or OrganizationKind.OTHER,
        country=entry.country("country"),
        founded=entry.date("founded"),
        section=entry.text("section"),
    )
    entry.finish()
    return organization


def _read_person(entry: _Entry) -> PersonEntry:
    section = entry.text("section")
    person = PersonEntry(
        name=entry.required_text("name"),
        country=entry.country("country"),
        section=section,
        positions=[_read_position(item, section) for item in entry.entries("positions")],
    )
    entry.finish()
    return person


def _read_position(entry: _Entry, section: str | None) -> PositionEntry:
    position = PositionEntry(
        title=entry.required_text("title"),
        country=entry.country("country"),
        organization=entry.text("organization"),
        start=entry.date("start"),
        end=entry.date("end"),
        held_on=entry.date("held_on"),
        section=entry.text("section") or section,
    )
    _check_period(entry, position.start, position.end, "end")
    entry.finish()
    return position


def _read_mission(entry: _Entry) -> MissionEntry:
    section = entry.text("section")
    mission = MissionEntry(
        name=entry.required_text("name"),
        kind=entry.enum("kind", MissionKind) or MissionKind.EMBASSY,
        country=entry.country("country", required=True) or "",
        host=entry.country("host", required=True) or "",
        city=entry.required_text("city"),
        opened=entry.date("opened"),
        closed=entry.date("closed"),
        section=section,
        addresses=[_read_address(item, section) for item in entry.entries("addresses")],
        accreditations=[
            _read_accreditation(item, section) for item in entry.entries("accreditations")
        ],
        heads=[_read_head(item, section) for item in entry.entries("heads")],
        sources=_read_sources(entry),
    )
    _check_period(entry, mission.opened, mission.closed, "closed")
    if mission.country and mission.country == mission.host:
        entry.fail("host", "must differ from the sending country")
    open_heads = [head.person for head in mission.heads if head.ongoing]
    if len(open_heads) > 1:
        entry.fail("heads", f"more than one tenure is ongoing: {', '.join(open_heads)}")
    entry.finish()
    return mission


def _read_address(entry: _Entry, section: str | None) -> AddressEntry:
    address = AddressEntry(
        address=entry.required_text("address"),
        city=entry.required_text("city"),
        start=entry.date("from"),
        end=entry.date("to"),
        section=entry.text("section") or section,
    )
    _check_period(entry, address.start, address.end, "to")
    entry.finish()
    return address


def _read_accreditation(entry: _Entry, section: str | None) -> AccreditationEntry:
    accreditation = AccreditationEntry(
        country=entry.country("country"),
        organization=entry.text("organization"),
        start=entry.date("from"),
        end=entry.date("to"),
        section=entry.text("section") or section,
    )
    if ("country" in entry.data) == ("organization" in entry.data):
        entry.fail(None, "must name exactly one of country and organization")
    _check_period(entry, accreditation.start, accreditation.end, "to")
    entry.finish()
    return accreditation


def _read_head(entry: _Entry, section: str | None) -> HeadEntry:
    head = HeadEntry(
        person=entry.required_text("person"),
        title=entry.required_text("title"),
        ordinal=entry.integer("ordinal"),
        start=entry.date("start"),
        end=entry.date("end"),
        ongoing=entry.flag("ongoing"),
        held_on=entry.date("held_on"),
        section=entry.text("section") or section,
        sources=_read_sources(entry),
        gap_before=entry.flag("gap_before"),
    )
    if head.ongoing and head.end is not None:
        entry.fail("ongoing", "cannot be true for a tenure with an end")
    if head.ordinal is not None and head.ordinal < 1:
        entry.fail("ordinal", "must be 1 or more")
    _check_period(entry, head.start, head.end, "end")
    entry.finish()
    return head


def _read_event(entry: _Entry) -> EventEntry:
    place = _Entry(entry._get("place", False) or {}, f"{entry.path}.place", entry.problems)
    event = EventEntry(
        title=entry.required_text("title"),
        kind=entry.enum("kind", EventKind) or EventKind.OTHER,
        date=entry.date("date", required=True) or PartialDate("0001"),
        end_date=entry.date("end_date"),
        place_name=place.text("name", required=bool(place.data)),
        place_country=place.country("country"),
        summary=entry.required_text("summary"),
        section=entry.text("section"),
        countries=entry.countries("countries"),
        participants=[_read_participant(item) for item in entry.entries("participants")],
        quotes=[_read_quote(item) for item in entry.entries("quotes")],
        figures=[_read_figure(item) for item in entry.entries("figures")],
        sources=_read_sources(entry),
    )
    if event.end_date is not None and event.end_date.last_day < event.date.first_day:
        entry.fail("end_date", f"{event.end_date} is before the date {event.date}")
    place.finish()
    entry.finish()
    return event


def _read_participant(entry: _Entry) -> ParticipantEntry:
    kinds = [kind for kind in PARTICIPANT_KINDS if kind in entry.data]
    if len(kinds) != 1:
        entry.fail(None, f"must name exactly one of {', '.join(PARTICIPANT_KINDS)}")
        entry.read.update(kinds)
        kinds = kinds[:1] or ["country"]
    kind = kinds[0]
    if kind == "country":
        ref = entry.country(kind, required=True)
    else:
        ref = entry.text(kind, required=True)
    participant = ParticipantEntry(kind=kind, ref=ref or "", role=entry.text("role"))
    entry.finish()
    return participant


def _read_quote(entry: _Entry) -> QuoteEntry:
    # Quotes are data: their words are kept as written; only line breaks and runs of spaces
    # (which YAML's folding and the file's layout introduce) become single spaces.
    quote = QuoteEntry(
        speaker=entry.required_text("speaker"),
        text=entry.required_text("text"),
        date=entry.date("date"),
    )
    entry.finish()
    return quote


def _read_figure(entry: _Entry) -> FigureEntry:
    figure = FigureEntry(
        label=entry.required_text("label"),
        value=entry.number("value"),
        unit=entry.required_text("unit"),
    )
    entry.finish()
    return figure


# Checks that a name an entry refers to is defined in the file: (path, kind, name) -> None.
_Refers = Callable[[str, str, str | None], None]


def _check_references(document: SeedDocument, problems: list[str]) -> None:
    """Every name an entry refers to must be an entry of the file, defined once; keys are unique."""
    names = _names_defined_once(document, problems)

    def check(path: str, kind: str, name: str | None) -> None:
        if name and name not in names[kind]:
            problems.append(f'{path}: refers to {kind} "{name}", which the file does not define')

    _check_people_and_missions(document, check)
    _check_relations(document, check, problems)
    _check_events(document, check, problems)


def _names_defined_once(document: SeedDocument, problems: list[str]) -> dict[str, set[str]]:
    """The names of each kind of entry; a problem for each name given twice."""
    names: dict[str, set[str]] = {}
    for kind, plural, entries in (
        ("organization", "organizations", [item.name for item in document.organizations]),
        ("person", "people", [item.name for item in document.people]),
        ("mission", "missions", [item.name for item in document.missions]),
    ):
        seen: set[str] = set()
        for index, name in enumerate(entries):
            if name in seen:
                problems.append(f'{plural}[{index}] "{name}": another {kind} has this name')
            seen.add(name)
        names[kind] = seen
    return names


def _check_people_and_missions(document: SeedDocument, check: _Refers) -> None:
    """People's positions name organizations; posts' accreditations and heads name theirs."""
    for i, person in enumerate(document.people):
        for j, position in enumerate(person.positions):
            path = f'people[{i}] "{person.name}".positions[{j}].organization'
            check(path, "organization", position.organization)
    for i, mission in enumerate(document.missions):
        place = f'missions[{i}] "{mission.name}"'
        for j, accreditation in enumerate(mission.accreditations):
            check(
                f"{place}.accreditations[{j}].organization",
                "organization",
                accreditation.organization,
            )
        for j, head in enumerate(mission.heads):
            check(f"{place}.heads[{j}].person", "person", head.person)


def _check_relations(document: SeedDocument, check: _Refers, problems: list[str]) -> None:
    """A relation's organizations are the file's, and no two relations have one pair."""
    for i, relation in enumerate(document.relations):
        for j, name in enumerate(relation.organizations):
            check(f"relations[{i}].organizations[{j}]", "organization", name)
    pairs: set[frozenset[str]] = set()
    for i, relation in enumerate(document.relations):
        pair = frozenset(relation.countries)
        if pair in pairs and "" not in pair:
            problems.append(f"relations[{i}].countries: another relation has this pair")
        pairs.add(pair)


def _check_events(document: SeedDocument, check: _Refers, problems: list[str]) -> None:
    """No two events share a title and date; participants and speakers are the file's."""
    keys: set[tuple[PartialDate, str]] = set()
    for i, event in enumerate(document.events):
        place = f'events[{i}] "{event.title}"'
        if (event.date, event.title) in keys:
            problems.append(f"{place}: another event has this title and date")
        keys.add((event.date, event.title))
        for j, participant in enumerate(event.participants):
            if participant.kind != "country":
                path = f"{place}.participants[{j}].{participant.kind}"
                check(path, participant.kind, participant.ref)
        for j, quote in enumerate(event.quotes):
            check(f"{place}.quotes[{j}].speaker", "person", quote.speaker)
