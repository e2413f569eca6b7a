"""What the travels, visits and rdcr readers make of their archives: typed event records.

Each reader checks everything before anything is written. A record that cannot be read (a
date that is not a date, an empty visitor, a country id missing) is a problem of the
release (RecordsError, each listed); the faults real data has — repeated rows, a heading
given twice — are kept as skips and notices with a reason, so the report accounts for each.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from db.models.enums import EventKind, RelationStatus, VisitType
from db.partial_date import PartialDate
from seed.history.archive import Archive
from seed.history.pocom import PocomError
from seed.history.report import Skip

SITE = "https://history.state.gov"
PUBLISHER = "Office of the Historian, U.S. Department of State"
LICENCE = "Public domain (US government work); CC0 1.0 worldwide"
# The country every record of these three datasets is between another country and.
HOME = "united-states"


class RecordsError(PocomError):
    """A travels, visits or rdcr archive that is not a readable release: each problem listed,
    as pocom's reader lists them (an ArchiveError: nothing is written)."""


@dataclass(frozen=True)
class Mention:
    """A person a record names: by the Office's id where it gives one, else by name alone."""

    name: str
    role: str | None
    historian_id: str | None = None
    territory: str | None = None  # the country the person stands for, where the record says


@dataclass(frozen=True)
class EventRecord:
    """One event as a record gives it, keyed by its dataset and the record's id."""

    dataset: str
    record_id: str
    path: str
    title: str
    kind: EventKind
    date: PartialDate
    end_date: PartialDate | None
    territory: str  # the Office's id of the country the event is between the US and
    summary: str
    url: str
    place_name: str | None = None
    place_territory: str | None = None
    people: tuple[Mention, ...] = ()
    visit_type: VisitType | None = None
    # rdcr: whether the entry establishes relations, and the status it leaves them in.
    establishes: bool = False
    status: RelationStatus | None = None


@dataclass
class Records:
    """A release read: its records, the rows skipped and the faults noticed in kept rows."""

    dataset: str
    rows: int = 0
    records: list[EventRecord] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    notices: list[Skip] = field(default_factory=list)
    cutoff: PartialDate | None = None

    def keep(
        self, record: EventRecord, content: tuple[object, ...], seen: dict[tuple[object, ...], str]
    ) -> None:
        """Keep a record unless another with the same content came first (a repeated row)."""
        first = seen.setdefault(content, record.record_id)
        if first != record.record_id:
            self.skipped.append(
                Skip(record.path, record.record_id, f"repeated row: the same as {first}")
            )
            return
        self.records.append(record)
        if self.cutoff is None or record.date > self.cutoff:
            self.cutoff = record.date


def text_of(element: object) -> str:
    """An element's text with its whitespace folded, "" for a missing element."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


def parse_day(text: str, where: str, problems: list[str]) -> PartialDate | None:
    """A YYYY[-MM[-DD]] date, or None with the problem noted."""
    try:
        return PartialDate.parse(text)
    except ValueError as error:
        problems.append(f"{where}: {error}")
        return None


def period(
    start: str, end: str, where: str, problems: list[str]
) -> tuple[PartialDate | None, PartialDate | None]:
    """A start and an optional end; the end is dropped where it is the start's day."""
    first = parse_day(start, where, problems)
    last = parse_day(end, where, problems) if end else None
    if first is not None and last is not None and last < first:
        problems.append(f"{where}: ends ({last}) before it starts ({first})")
    return first, (None if last == first else last)


# The forms a description names, the more specific first; the earliest in the text wins.
_VISIT_TYPES: list[tuple[re.Pattern[str], VisitType]] = [
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in [
        (r"\bstate visit", VisitType.STATE),
        (r"\bofficial working visit", VisitType.OFFICIAL_WORKING),
        (r"\bofficial visit", VisitType.OFFICIAL),
        (r"\bworking visit", VisitType.WORKING),
        (r"\bprivate visit", VisitType.PRIVATE),
        (r"\b(informal|unofficial) visit", VisitType.INFORMAL),
    ]
]


def visit_type(description: str) -> VisitType | None:
    """The form of visit a description names first; None where it names none."""
    found = [
        (match.start(), -len(match.group(0)), kind)
        for pattern, kind in _VISIT_TYPES
        if (match := pattern.search(description))
    ]
    return min(found, key=lambda hit: hit[:2])[2] if found else None


def files_of(archive: Archive, dataset: str, folders: Sequence[str], what: str) -> list[str]:
    """The XML files of a dataset's folders; RecordsError for another dataset's archive or one
    without them."""
    if archive.dataset != dataset:
        raise RecordsError(
            [f"{archive.source}: this is a {archive.dataset} archive, not {dataset}"]
        )
    names = [name for folder in folders for name in archive.names(folder)]
    if not names:
        listed = ", ".join(f"{folder}/" for folder in folders)
        raise RecordsError([f"{archive.source}: no {what} ({listed})"])
    return names


# Reads one element into a record, or notes each problem and gives None.
RecordOf = Callable[[str, Element, list[str]], EventRecord | None]


def read_rows(
    archive: Archive,
    dataset: str,
    folders: Sequence[str],
    tag: str,
    record_of: RecordOf,
    content: Callable[[EventRecord], tuple[object, ...]],
) -> Records:
    """Every `tag` element of the folders' files as a record; a row whose `content` repeats an
    earlier one's is skipped as a repeated row; RecordsError listing every problem."""
    records = Records(dataset)
    problems: list[str] = []
    seen: dict[tuple[object, ...], str] = {}
    for name in files_of(archive, dataset, folders, f"{tag}s"):
        for element in archive.xml(name).iter(tag):
            records.rows += 1
            record = record_of(name, element, problems)
            if record is not None:
                records.keep(record, content(record), seen)
    if problems:
        raise RecordsError(problems)
    return records
