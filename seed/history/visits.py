"""The Office of the Historian's *Visits by Foreign Leaders* to the United States, read into
event records: one visit is one event between the visiting country and the United States,
each visitor a participant — a person named without the title ("Alexander De Croo"), the
title ("Prime Minister") the role.

A visitor is free text. Its title is the longest title of the reviewed table below that it
opens with (misspellings the data has map to the right title); a visitor of several
people ("President X and Prime Minister Y") is split where a title follows "and" or a
comma. A person is the same across visits where the name is the same.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from db.models.enums import EventKind
from seed.history.archive import Archive
from seed.history.event_records import (
    HOME,
    SITE,
    EventRecord,
    Mention,
    Records,
    period,
    read_rows,
    text_of,
    visit_type,
)

DATASET = "visits"
TITLE = "Visits by Foreign Leaders"
REPOSITORY = "https://github.com/HistoryAtState/visits"

# Every title the visitors open with, as written → as shown. Reviewed against the release.
TITLES: dict[str, str] = {
    title: title
    for title in (
        "President",
        "President-elect",
        "President-designate",
        "Acting President",
        "Interim President",
        "Provisional President",
        "Prime Minister",
        "Acting Prime Minister",
        "Interim Prime Minister",
        "Premier",
        "Vice Premier",
        "Chancellor",
        "Chancellor-elect",
        "Federal Chancellor",
        "Taoiseach",
        "King",
        "Queen",
        "Emperor",
        "Empress",
        "Shah",
        "Sultan",
        "Amir",
        "Emir",
        "Sheikh",
        "Prince",
        "Crown Prince",
        "Regent Prince",
        "Grand Duke",
        "Grand Duchess",
        "Pope",
        "Chairman",
        "General Secretary",
        "First Secretary",
        "Chief of State",
        "Head of State",
        "Governor General",
        "General",
        "Brigadier General",
        "Lieutenant General",
        "Junta Member",
    )
} | {
    "President- designate": "President-designate",
    "President- elect": "President-elect",
    "President-Elect": "President-elect",
    "Prime Minster": "Prime Minister",
    "Prime Ministere": "Prime Minister",
    "Prime MinisterHaidar": "Prime Minister",  # the name's first word is glued on
    "Prime Minister-Prince": "Prime Minister",
}
_GLUED = {"Prime MinisterHaidar": "Haidar"}
_OPENING = re.compile(
    "^(" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True)) + r")(?=\s|$)"
)
_SPLIT = re.compile(r"(?:,\s*|\s+and\s+)(?=(?:" + "|".join(re.escape(t) for t in TITLES) + r")\s)")


def split_visitor(visitor: str) -> list[tuple[str | None, str]]:
    """Each person a visitor names, as (title, name); a part that is a title alone is one
    person's title with the next ("Premier and Prince Sihanouk": "Premier and Prince")."""
    people: list[tuple[str | None, str]] = []
    titles: list[str] = []
    for part in _SPLIT.split(visitor):
        match = _OPENING.match(part.strip())
        if match is None:
            people.append((" and ".join(titles) or None, part.strip()))
            titles = []
            continue
        written = match.group(1)
        titles.append(TITLES[written])
        name = (_GLUED.get(written, "") + " " + part.strip()[match.end() :]).strip()
        if name:
            people.append((" and ".join(titles), name))
            titles = []
    if titles:  # titles without a name: the visitor is written as given
        people.append((None, visitor))
    return people


def page_of(territory: str) -> str:
    """A country's visitors on history.state.gov."""
    return f"{SITE}/departmenthistory/visits/{territory}"


def read_visits(archive: Archive) -> Records:
    """Every visit of the archive, or RecordsError listing what cannot be read."""
    return read_rows(
        archive,
        DATASET,
        ["data"],
        "visit",
        _visit,
        lambda r: (r.people, r.date, r.end_date, r.territory, r.summary),
    )


def _visit(path: str, visit: Element, problems: list[str]) -> EventRecord | None:
    record_id = text_of(visit.find("id"))
    where = f"{path} visit {record_id or '?'}"
    visitor = text_of(visit.find("visitor"))
    origin = visit.find("from")
    territory = "" if origin is None else (origin.get("id") or "").strip()
    start, end = period(
        text_of(visit.find("start-date")), text_of(visit.find("end-date")), where, problems
    )
    missing = [
        label
        for label, value in (("id", record_id), ("visitor", visitor), ("from id", territory))
        if not value
    ]
    if missing:
        problems.append(f"{where}: no {', '.join(missing)}")
    if missing or start is None:
        return None
    description = text_of(visit.find("description"))
    label = text_of(origin) or territory
    return EventRecord(
        dataset=DATASET,
        record_id=record_id,
        path=path,
        title=f"Visit of {visitor} ({label}) to the United States",
        kind=EventKind.VISIT,
        date=start,
        end_date=end,
        territory=territory,
        summary=description,
        url=page_of(territory),
        place_territory=HOME,
        people=tuple(
            Mention(name, title, territory=territory) for title, name in split_visitor(visitor)
        ),
        visit_type=visit_type(description),
    )
