"""The Office of the Historian's *Principal Officers & Chiefs of Mission* (pocom), read into
typed records.

Reading checks everything a record needs before anything is written: a date that is not a
date, a tenure whose person or role the archive does not have, a file that is not pocom's
XML are errors (PocomError, listing each). The faults the real data has are not errors:
they are noticed and kept as skips with a reason, so that the import report accounts for
every tenure:

- a repeated id whose rows agree wherever both give a value (one is the other, less
  complete) is one tenure: the fuller row is kept, the other skipped;
- a repeated id whose rows disagree are two tenures: the second is keyed `<id>#2`;
- nominees (`other-nominees`) never served: they are skipped as such, never heads.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from xml.etree.ElementTree import Element

from db.models.enums import TenureEnd
from db.partial_date import PartialDate
from seed.history.archive import ArchiveError
from seed.history.report import Skip

DATASET = "pocom"
SITE = "https://history.state.gov/departmenthistory/people"

# Parses one XML file (its bytes and its path, for messages) safely, or raises ArchiveError.
XmlParser = Callable[[bytes, str], Element]


class PocomError(ArchiveError):
    """The archive is not a readable pocom release; `problems` lists each thing wrong."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n".join(f"  {problem}" for problem in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s):\n{shown}{more}")


# The note's opening words → kind; first match wins ("Left Brussels" is leaving post).
_END_KINDS: list[tuple[re.Pattern[str], TenureEnd]] = [
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in [
        (r"^(died|assassinated|killed)\b", TenureEnd.DIED_AT_POST),
        (r"^(probably )?presented (his |her )?recall", TenureEnd.PRESENTED_RECALL),
        (r"^transmitted (his |her )?recall", TenureEnd.RECALL_BY_NOTE),
        (r"^superseded", TenureEnd.SUPERSEDED),
        (r"^relinquished charge", TenureEnd.RELINQUISHED_CHARGE),
        (r"^promoted", TenureEnd.PROMOTED),
        (r"^recommissioned", TenureEnd.RECOMMISSIONED),
        (r"^appointment terminated", TenureEnd.APPOINTMENT_TERMINATED),
        (
            r"relations (were )?(interrupted|severed|broken)|severed",
            TenureEnd.RELATIONS_INTERRUPTED,
        ),
        (r"^(embassy|legation|consulate|mission) (closed|suspended)", TenureEnd.POST_CLOSED),
        (r"^recess appointment expired", TenureEnd.APPOINTMENT_TERMINATED),
        (r"^had farewell", TenureEnd.FAREWELL_AUDIENCE),
        (r"^(left|departed)\b", TenureEnd.LEFT_POST),
    ]
]


def end_kind(note: str) -> TenureEnd | None:
    """The kind of end a note describes; None where there is no note."""
    if not note:
        return None
    for pattern, kind in _END_KINDS:
        if pattern.search(note):
            return kind
    return TenureEnd.OTHER


@dataclass(frozen=True)
class Step:
    """One dated step of a tenure: its date (None where the source gives none) and note."""

    date: PartialDate | None
    note: str


@dataclass(frozen=True)
class Tenure:
    """One chief's tenure at one post, as one `chief` element gives it."""

    key: str  # the source's id, or `<id>#2` for a second tenure under a repeated id
    record_id: str  # the source's id as written
    path: str  # the file it is in
    post: str  # the territory id (missions-countries) or organization id (missions-orgs)
    organization: bool
    person_id: str
    role_id: str
    contemporary: str  # the state the chief was sent to, as the source names it ("" for orgs)
    appointed: Step
    arrived: Step
    started: Step
    ended: Step
    note: str

    @property
    def url(self) -> str:
        """The page of the post's chiefs on history.state.gov."""
        if self.organization:
            return f"{SITE}/principalofficers/{self.post}"
        return f"{SITE}/chiefsofmission/{self.post}"

    @property
    def dates(self) -> list[PartialDate]:
        return [s.date for s in (self.appointed, self.arrived, self.started, self.ended) if s.date]


@dataclass(frozen=True)
class PersonRecord:
    """A person of the `people` folder."""

    id: str
    forename: str
    surname: str
    suffix: str  # genName: "Jr."
    birth: int | None
    death: int | None
    career_type: str  # career, non-career, pre-1915, both

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.forename, self.surname, self.suffix) if part)

    @property
    def url(self) -> str:
        return f"{SITE}/{self.id}"


@dataclass(frozen=True)
class Concurrent:
    """One person heading several posts at once from one residence."""

    id: str
    person_id: str
    resident_territory: str
    chief_ids: tuple[str, ...]


@dataclass(frozen=True)
class OrgMission:
    """A US mission to an international organization, as `missions-orgs` names it."""

    id: str
    title: str  # the chief's title: "Representative of the U.S.A. to the United Nations"


@dataclass
class Pocom:
    """A pocom release, read and checked."""

    people: dict[str, PersonRecord]
    roles: dict[str, str]  # role id → its title
    organizations: dict[str, OrgMission]
    tenures: list[Tenure]  # the tenures that are imported, in file order
    concurrent: list[Concurrent]
    skipped: list[Skip] = field(default_factory=list)
    notices: list[Skip] = field(default_factory=list)  # faults noticed in rows that are kept
    rows: int = 0  # every chief row read, nominees and repeats included

    @property
    def cutoff(self) -> PartialDate:
        """The last date the release records: its lists stop there."""
        return max((date for tenure in self.tenures for date in tenure.dates), key=_last_day)

    def title(self, tenure: Tenure) -> str:
        """The tenure's title, from its role."""
        if tenure.role_id in self.roles:
            return self.roles[tenure.role_id]
        return self.organizations[tenure.post].title


def _last_day(date: PartialDate) -> dt.date:
    return date.last_day


def _text(element: Element | None, path: str) -> str:
    found = None if element is None else element.findtext(path)
    return " ".join((found or "").split())


class _Reader:
    def __init__(self, files: Mapping[str, bytes], parse: XmlParser) -> None:
        self.files = files
        self.parse = parse
        self.problems: list[str] = []

    def folder(self, name: str) -> Iterable[tuple[str, Element]]:
        for path in sorted(self.files):
            if path.startswith(f"{name}/") and path.endswith(".xml"):
                try:
                    yield path, self.parse(self.files[path], path)
                except ArchiveError as error:
                    self.problems.append(str(error))

    def date(self, path: str, record: str, step: str, text: str) -> PartialDate | None:
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError as error:
            self.problems.append(f"{path}: {record}: {step}: {error}")
            return None

    def year(self, path: str, text: str, what: str) -> int | None:
        if not text:
            return None
        if not re.fullmatch(r"[0-9]{4}", text):
            self.problems.append(f'{path}: {what} "{text}" is not a year')
            return None
        return int(text)


def read_pocom(files: Mapping[str, bytes], parse: XmlParser) -> Pocom:
    """Read a pocom release from its files (path inside the release → bytes)."""
    reader = _Reader(files, parse)
    if not any(path.startswith("missions-countries/") for path in files) or not any(
        path.startswith("people/") for path in files
    ):
        raise PocomError(["not a pocom release: it has no missions-countries/ or people/ folder"])
    roles = {
        _text(root, "id"): _text(root, "names/singular")
        for _, root in reader.folder("roles-country-chiefs")
    }
    people = {}
    for path, root in reader.folder("people"):
        if root.tag != "person" or not _text(root, "id"):
            reader.problems.append(f"{path}: not a pocom person")
            continue
        person = PersonRecord(
            id=_text(root, "id"),
            forename=_text(root, "persName/forename"),
            surname=_text(root, "persName/surname"),
            suffix=_text(root, "persName/genName"),
            birth=reader.year(path, _text(root, "birth"), "birth"),
            death=reader.year(path, _text(root, "death"), "death"),
            career_type=_text(root, "career-type"),
        )
        people[person.id] = person
    organizations = {
        _text(root, "id"): OrgMission(_text(root, "id"), _text(root, "names/singular"))
        for _, root in reader.folder("missions-orgs")
    }
    pocom = Pocom(people, roles, organizations, [], [])
    rows: list[tuple[Tenure, bool]] = []  # each row and whether it is a nominee's
    for folder, organization in (("missions-countries", False), ("missions-orgs", True)):
        for path, root in reader.folder(folder):
            post = _text(root, "territory-id" if not organization else "id")
            if root.tag not in ("country-mission", "org-mission") or not post:
                reader.problems.append(f"{path}: not a pocom list of chiefs of mission")
                continue
            for section, nominee in (("chiefs", False), ("other-nominees", True)):
                for chief in root.findall(f"{section}/chief"):
                    rows.append((_tenure(reader, path, post, organization, chief), nominee))
    pocom.rows = len(rows)
    for tenure, _ in rows:
        if tenure.person_id not in people:
            reader.problems.append(
                f"{tenure.path}: {tenure.record_id}: no person {tenure.person_id!r} in people/"
            )
        if tenure.role_id not in roles and not (
            tenure.organization and tenure.role_id == tenure.post
        ):
            reader.problems.append(
                f"{tenure.path}: {tenure.record_id}: unknown role code {tenure.role_id!r}"
            )
    for _, root in reader.folder("concurrent-appointments"):
        pocom.concurrent.append(
            Concurrent(
                id=_text(root, "id"),
                person_id=_text(root, "person-id"),
                resident_territory=_text(root, "resident-at/contemporary-territory-id"),
                chief_ids=tuple(_text(e, ".") for e in root.findall("chief-id")),
            )
        )
    if reader.problems:
        raise PocomError(reader.problems)
    _keep(pocom, rows)
    if not pocom.tenures:
        raise PocomError(["the release lists no chiefs of mission"])
    return pocom


def _tenure(reader: _Reader, path: str, post: str, organization: bool, chief: Element) -> Tenure:
    record = _text(chief, "id")

    def step(name: str) -> Step:
        return Step(
            reader.date(path, record, name, _text(chief, f"{name}/date")),
            _text(chief, f"{name}/note"),
        )

    return Tenure(
        key=record,
        record_id=record,
        path=path,
        post=post,
        organization=organization,
        person_id=_text(chief, "person-id"),
        role_id=_text(chief, "role-title-id"),
        contemporary=_text(chief, "contemporary-territory-id"),
        appointed=step("appointed"),
        arrived=step("arrived"),
        started=step("started"),
        ended=step("ended"),
        note=_text(chief, "note"),
    )


def _facts(tenure: Tenure) -> dict[str, object]:
    return {
        name: value
        for name, value in vars(tenure).items()
        if name not in ("key", "path")
        and value not in ("", None)
        and not (isinstance(value, Step) and value.date is None and not value.note)
    }


def _subsumes(full: Tenure, other: Tenure) -> bool:
    """Whether every value `other` gives, `full` gives too (and at least as much)."""
    mine = _facts(full)
    return all(mine.get(name) == value for name, value in _facts(other).items())


def _keep(pocom: Pocom, rows: list[tuple[Tenure, bool]]) -> None:
    """Sort the rows into tenures and skips (the module's docstring says how)."""
    by_id: dict[str, list[Tenure]] = defaultdict(list)
    for tenure, nominee in rows:
        if nominee:
            pocom.skipped.append(
                Skip(tenure.path, tenure.record_id, "nominee: never served (other-nominees)")
            )
        else:
            by_id[tenure.record_id].append(tenure)
    kept: dict[str, list[Tenure]] = {}
    for record, same in by_id.items():
        kept[record] = []
        for position, tenure in enumerate(same):
            # Kept unless another row gives all it gives (of identical rows, the first stays).
            fuller = [
                other
                for index, other in enumerate(same)
                if index != position
                and _subsumes(other, tenure)
                and (_facts(other) != _facts(tenure) or index < position)
            ]
            if fuller:
                pocom.skipped.append(
                    Skip(
                        tenure.path,
                        record,
                        "repeated row: another row with this id gives all it gives"
                        + ("" if _facts(fuller[0]) == _facts(tenure) else ", and more"),
                    )
                )
            else:
                kept[record].append(tenure)
    for tenure, nominee in rows:
        if nominee or tenure not in kept[tenure.record_id]:
            continue
        position = kept[tenure.record_id].index(tenure)
        if position:
            tenure = Tenure(**{**vars(tenure), "key": f"{tenure.record_id}#{position + 1}"})
            pocom.notices.append(
                Skip(
                    tenure.path,
                    tenure.record_id,
                    f"repeated id: a different tenure, kept as {tenure.key}",
                )
            )
        steps = [s.date for s in (tenure.appointed, tenure.started, tenure.ended) if s.date]
        if any(later.last_day < earlier.first_day for earlier, later in pairwise(steps)):
            pocom.notices.append(
                Skip(
                    tenure.path,
                    tenure.record_id,
                    "dates out of order: kept as the source gives them",
                )
            )
        pocom.tenures.append(tenure)
