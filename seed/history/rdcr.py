"""The Office of the Historian's *Guide to the United States' History of Recognition,
Diplomatic, and Consular Relations* (rdcr), read into event records: each timeline entry of a
country's article is one event between that country and the United States.

- Its kind comes from its heading, by the first rule of KINDS below that matches.
- Its date is the first exact day its paragraphs give ("on June 18, 1832") within the
  heading's year (the `date when=…` of the heading, else a year written in it); the heading's
  own date where that is a day; else the heading's year. An entry with no year in its
  heading takes the first day, else the first year, its text gives.
- The people its paragraphs link (`ref target="/departmenthistory/people/<pocom id>"`) are its
  participants, found by pocom's id.
- Entries carry no ids. Each is keyed `<article>:<hash>`, the hash the first 12 hex digits
  of the SHA-256 of its heading (whitespace folded, case kept, UTF-8); an entry without a
  heading is keyed by its first paragraph the same way. A second entry of one article with
  the same heading is keyed `<article>:<hash>#2`, unless it repeats the first word for word
  (then it is a repeated row, skipped).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from xml.etree.ElementTree import Element

from db.models.enums import EventKind, RelationStatus
from db.partial_date import PartialDate
from seed.history.archive import Archive
from seed.history.event_records import (
    SITE,
    EventRecord,
    Mention,
    Records,
    RecordsError,
    files_of,
    text_of,
)
from seed.history.report import Skip

DATASET = "rdcr"
TITLE = (
    "A Guide to the United States' History of Recognition, Diplomatic, and Consular "
    "Relations, by Country, since 1776"
)
REPOSITORY = "https://github.com/HistoryAtState/rdcr"
TEI = "{http://www.tei-c.org/ns/1.0}"

_RELATIONS = r"(relations|relationsand)"
# A heading's kind: the first rule that matches (headings are searched casefolded).
KINDS: list[tuple[re.Pattern[str], EventKind]] = [
    (re.compile(pattern), kind)
    for pattern, kind in [
        (
            rf"(re-?establish|resum|restor|normaliz|reopen|renew)\w*.*{_RELATIONS}|{_RELATIONS}.*(re-?establish|resum|restor|normaliz|reopen|renew)",
            EventKind.RELATIONS_RESUMED,
        ),
        (
            rf"establish\w* (of )?(full |formal |normal )?(diplomatic |ambassadorial )?{_RELATIONS}|{_RELATIONS} established",
            EventKind.RELATIONS_ESTABLISHED,
        ),
        (
            rf"(sever|interrupt|suspen|cessation|terminat|broken|break|ended|end of)\w*.*{_RELATIONS}|{_RELATIONS}.*(sever|interrupt|suspen|cease|terminat|broken|ended)",
            EventKind.RELATIONS_SEVERED,
        ),
        (r"recogni", EventKind.RECOGNITION),
        (r"elevat|raised|upgrad", EventKind.RAISED_TO_EMBASSY),
        (r"clos|suspen", EventKind.POST_CLOSED),
        (r"establish|open|reopen|re-open|reestablish", EventKind.POST_OPENED),
        (r"treaty|convention|agreement|accord", EventKind.TREATY),
    ]
]
# Where a kind leaves the relations.
STATUS = {
    EventKind.RELATIONS_ESTABLISHED: RelationStatus.ESTABLISHED,
    EventKind.RELATIONS_RESUMED: RelationStatus.ESTABLISHED,
    EventKind.RELATIONS_SEVERED: RelationStatus.SEVERED,
}
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH = "|".join(_MONTHS)
_DAYS = re.compile(
    rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})|(\d{{1,2}})\s+({_MONTH}),?\s+(\d{{4}}))\b"
)
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_PERSON = re.compile(r"(?:^|/)people/([a-z0-9][a-z0-9.-]*)/?$")


def kind_of(heading: str) -> EventKind:
    """The kind a heading names; DIPLOMATIC where no rule matches."""
    folded = heading.casefold()
    for pattern, kind in KINDS:
        if pattern.search(folded):
            return kind
    return EventKind.DIPLOMATIC


def days_in(text: str) -> list[PartialDate]:
    """Every exact day the text writes in words, in order ("June 18, 1832", "18 June 1832")."""
    found = []
    for match in _DAYS.finditer(text):
        month, day, year = (
            (match[1], match[2], match[3]) if match[1] else (match[5], match[4], match[6])
        )
        try:
            found.append(
                PartialDate.parse(f"{int(year):04d}-{_MONTHS.index(month) + 1:02d}-{int(day):02d}")
            )
        except ValueError:
            continue  # "February 30" in prose is not a day
    return found


def key_of(territory: str, heading: str) -> str:
    """The stable key of an entry: its article and a hash of its heading."""
    digest = hashlib.sha256(" ".join(heading.split()).encode("utf-8")).hexdigest()[:12]
    return f"{territory}:{digest}"


def page_of(territory: str) -> str:
    """A country's article on history.state.gov."""
    return f"{SITE}/countries/{territory}"


def read_rdcr(archive: Archive) -> Records:
    """Every timeline entry of every article, or RecordsError listing what cannot be read."""
    records = Records(DATASET)
    problems: list[str] = []
    for name in files_of(archive, DATASET, ["articles"], "articles"):
        root = archive.xml(name)
        territory = name.rsplit("/", 1)[-1].removesuffix(".xml")
        country = text_of(root.find(f".//{TEI}title[@type='short']")) or territory
        keys: dict[str, tuple[str, str]] = {}
        for entry in root.iter(f"{TEI}div"):
            if entry.get("type") != "timeline":
                continue
            records.rows += 1
            record = _entry(name, territory, country, entry, problems, records.skipped)
            if record is None:
                continue
            content = (record.title, record.summary)
            first = keys.get(record.record_id)
            if first is not None and first == content:
                records.skipped.append(
                    Skip(name, record.record_id, "repeated row: the same heading and text twice")
                )
                continue
            if first is not None:
                count = sum(key.startswith(record.record_id) for key in keys) + 1
                record = _rekeyed(record, f"{record.record_id}#{count}")
                records.notices.append(
                    Skip(name, record.record_id, "the heading is given twice, with other text")
                )
            keys[record.record_id] = content
            records.records.append(record)
            if records.cutoff is None or record.date > records.cutoff:
                records.cutoff = record.date
    if problems:
        raise RecordsError(problems)
    return records


def _rekeyed(record: EventRecord, key: str) -> EventRecord:
    return replace(record, record_id=key)


def _entry(
    path: str,
    territory: str,
    country: str,
    entry: Element,
    problems: list[str],
    skipped: list[Skip],
) -> EventRecord | None:
    head = entry.find(f"{TEI}head")
    paragraphs = [text_of(p) for p in entry.iter(f"{TEI}p")]
    text = " ".join(p for p in paragraphs if p)
    heading = text_of(head).rstrip(".").strip()
    keyed_by = heading or (paragraphs[0] if paragraphs else "")
    where = f"{path} entry {heading[:60]!r}"
    if not keyed_by:
        skipped.append(Skip(path, "", "empty: an entry with neither heading nor text"))
        return None
    date = _date(head, heading, text, where, problems)
    if date is None:
        if not problems or not problems[-1].startswith(where):
            skipped.append(
                Skip(path, key_of(territory, keyed_by), f"undated: {keyed_by[:80]!r} gives no year")
            )
        return None
    kind = kind_of(heading or text[:200])
    people = tuple(
        dict.fromkeys(
            Mention(text_of(ref), None, match[1])
            for ref in entry.iter(f"{TEI}ref")
            if (match := _PERSON.search(ref.get("target", "")))
        )
    )
    title = heading or (text[:120].rsplit(" ", 1)[0] + "…" if len(text) > 120 else text)
    return EventRecord(
        dataset=DATASET,
        record_id=key_of(territory, keyed_by),
        path=path,
        title=f"{country}: {title}",
        kind=kind,
        date=date,
        end_date=None,
        territory=territory,
        summary=text,
        url=page_of(territory),
        people=people,
        establishes=kind is EventKind.RELATIONS_ESTABLISHED,
        status=STATUS.get(kind),
    )


def _date(
    head: Element | None, heading: str, text: str, where: str, problems: list[str]
) -> PartialDate | None:
    """The entry's date by the rule of the module's docstring."""
    stated = (
        []
        if head is None
        else [
            d.get("when") or d.get("from") or d.get("notBefore") or ""
            for d in head.iter(f"{TEI}date")
        ]
    )
    stated = [value for value in stated if value]
    years: list[str] = []
    for value in stated:
        try:
            day = PartialDate.parse(value)
        except ValueError as error:
            problems.append(f"{where}: {error}")
            return None
        if len(value) == 10:
            return day
        years.append(value[:4])
    years = years or _YEAR.findall(heading)
    days = days_in(text)
    if years:
        within = [day for day in days if day.text[:4] in years]
        return within[0] if within else PartialDate(years[0])
    if days:
        return days[0]
    written = _YEAR.findall(text)
    return PartialDate(written[0]) if written else None
