"""What an editor should look at: holes and contradictions in the record.

Each issue names its kind, the object it is about and, in a sentence, what is wrong.
Most are found on demand from the data as it is, so they go away when the data is put
right. The faults an import finds in a source's own record (FLAGGED: coordinates outside
the host, a post accredited to its sender…) are kept as it found them (models.QualityFlag)
until the next import of that source.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, exists, select, true
from sqlalchemy.orm import aliased

from db import models, orders
from db.countries import gleditsch_ward, iso_countries
from db.country_names import display_name, iso_name
from db.partial_date import PartialDate

# Gleditsch and Ward's independent states, with the day each spell of independence began.
STATES = Path(__file__).parent / "data" / "gleditsch-ward-states.tsv"
# The posts accredited to a state, which cannot open before it: a consular post opens in a
# colony as well (the US consulate in Sydney, 1836), so its host's beginning says nothing of it.
_TO_A_STATE = [
    models.MissionKind.EMBASSY,
    models.MissionKind.LEGATION,
    models.MissionKind.HIGH_COMMISSION,
    models.MissionKind.APOSTOLIC_NUNCIATURE,
]
# Their list's first day: a spell that starts then began on or before it, so on no known day.
_LIST_BEGINS = "1816-01-01"


class QualityIssueKind(enum.Enum):
    """The kinds of issue, in the order they are listed."""

    UNRECORDED_TENURES = "UNRECORDED_TENURES"
    OVERLAPPING_TENURES = "OVERLAPPING_TENURES"
    TENURE_ENDS_BEFORE_START = "TENURE_ENDS_BEFORE_START"
    POST_WITHOUT_HEAD = "POST_WITHOUT_HEAD"
    EVENT_WITHOUT_SOURCE = "EVENT_WITHOUT_SOURCE"
    DATE_MORE_PRECISE_THAN_SOURCE = "DATE_MORE_PRECISE_THAN_SOURCE"
    OPENED_BEFORE_SENDER_EXISTED = "OPENED_BEFORE_SENDER_EXISTED"
    OPENED_BEFORE_HOST_EXISTED = "OPENED_BEFORE_HOST_EXISTED"
    # Found when a release is imported and kept (models.QualityFlag): seed/wikidata/posts.py.
    COORDINATES_OUTSIDE_HOST = "COORDINATES_OUTSIDE_HOST"
    ACCREDITED_TO_SENDER = "ACCREDITED_TO_SENDER"
    HOST_CONTRADICTS_CITY = "HOST_CONTRADICTS_CITY"
    POST_WITHOUT_ACCREDITATION = "POST_WITHOUT_ACCREDITATION"


KINDS = list(QualityIssueKind)
# The kinds an import finds in a source's record and keeps beside the post.
FLAGGED = KINDS[KINDS.index(QualityIssueKind.COORDINATES_OUTSIDE_HOST) :]


@dataclass(frozen=True)
class QualityIssue:
    """One issue: its kind, the object it is about (a type name and a row id) and what is wrong."""

    kind: QualityIssueKind
    subject_type: str
    subject_id: int
    message: str

    @property
    def key(self) -> tuple[int, str, int]:
        """Where the issue sorts: by kind, then by the object it is about."""
        return (KINDS.index(self.kind), self.subject_type, self.subject_id)


@dataclass(frozen=True)
class Scope:
    """Which objects to look at: None means all of that type, [] none."""

    missions: Sequence[int] | None = None
    heads: Sequence[int] | None = None
    events: Sequence[int] | None = None

    @classmethod
    def only(cls, subject_type: str, ids: Sequence[int]) -> Scope:
        """The objects of one type with these ids, and nothing else."""
        return cls(
            missions=ids if subject_type == "Mission" else [],
            heads=ids if subject_type == "HeadOfMission" else [],
            events=ids if subject_type == "Event" else [],
        )


def _within(column: Any, ids: Sequence[int] | None) -> ColumnElement[bool]:
    return true() if ids is None else column.in_(ids)


async def find_issues(
    db: Any, scope: Scope = Scope(), kinds: Iterable[QualityIssueKind] | None = None
) -> list[QualityIssue]:
    """Every issue of these kinds (default: all) about the objects in scope, in listing order."""
    wanted = set(KINDS if kinds is None else kinds)
    found: list[QualityIssue] = []
    if wanted & {
        QualityIssueKind.UNRECORDED_TENURES,
        QualityIssueKind.OVERLAPPING_TENURES,
        QualityIssueKind.TENURE_ENDS_BEFORE_START,
    } and (scope.heads is None or scope.heads):
        found += await _tenure_issues(db, scope.heads, wanted)
    M, H, E = models.Mission, models.HeadOfMission, models.Event
    if QualityIssueKind.POST_WITHOUT_HEAD in wanted and scope.missions != []:
        found += await _lacking(
            db,
            QualityIssueKind.POST_WITHOUT_HEAD,
            "Mission",
            select(M.id, M.name).where(_within(M.id, scope.missions)),
            exists().where(H.mission_id == M.id),
            "No source names anyone who headed {}.",
        )
    if QualityIssueKind.EVENT_WITHOUT_SOURCE in wanted and scope.events != []:
        link = models.event_source
        found += await _lacking(
            db,
            QualityIssueKind.EVENT_WITHOUT_SOURCE,
            "Event",
            select(E.id, E.title).where(_within(E.id, scope.events)),
            exists().where(link.c.event_id == E.id),
            "No source is given for the event {!r}.",
        )
    if QualityIssueKind.DATE_MORE_PRECISE_THAN_SOURCE in wanted and scope.missions != []:
        found += await _precision_issues(db, scope.missions)
    existence = {
        QualityIssueKind.OPENED_BEFORE_SENDER_EXISTED,
        QualityIssueKind.OPENED_BEFORE_HOST_EXISTED,
    }
    if wanted & existence and scope.missions != []:
        found += await _opened_before_existence(db, scope.missions, wanted)
    flagged = [kind.value for kind in FLAGGED if kind in wanted]
    if flagged and scope.missions != []:
        F = models.QualityFlag
        rows = await db.execute(
            select(F.kind, F.mission_id, F.message)
            .join(M, M.id == F.mission_id)  # a post deleted since is no issue
            .where(F.kind.in_(flagged), _within(F.mission_id, scope.missions))
        )
        found += [
            QualityIssue(QualityIssueKind(kind), "Mission", pk, message)
            for kind, pk, message in rows
        ]
    return sorted(found, key=lambda issue: issue.key)


async def _lacking(
    db: Any,
    kind: QualityIssueKind,
    subject_type: str,
    rows: Any,
    child: Any,
    message: str,
) -> list[QualityIssue]:
    """An issue for each of the rows (id, name) that has no `child` row."""
    found = await db.execute(rows.where(~child))
    return [QualityIssue(kind, subject_type, pk, message.format(name)) for pk, name in found]


async def _tenure_issues(
    db: Any, heads: Sequence[int] | None, wanted: set[QualityIssueKind]
) -> list[QualityIssue]:
    """Gaps the sources report, overlaps and reversed periods, among each post's tenures."""
    H = models.HeadOfMission
    posts = select(H.mission_id).where(_within(H.id, heads))
    rows = await db.execute(
        select(H, models.Person.name)
        .join(models.Person, models.Person.id == H.person_id)
        .where(H.mission_id.in_(posts))
        .order_by(H.mission_id, *orders.tenure(H))
    )
    by_post: dict[int, list[tuple[models.HeadOfMission, str]]] = defaultdict(list)
    for head, name in rows:
        by_post[head.mission_id].append((head, name))
    inside = None if heads is None else set(heads)
    found: list[QualityIssue] = []
    for tenures in by_post.values():
        for index, (head, name) in enumerate(tenures):
            if inside is not None and head.id not in inside:
                continue
            if QualityIssueKind.UNRECORDED_TENURES in wanted and head.gap_before:
                before = f" after {tenures[index - 1][1]}" if index > 0 else ""
                found.append(
                    QualityIssue(
                        QualityIssueKind.UNRECORDED_TENURES,
                        "HeadOfMission",
                        head.id,
                        f"The sources say others headed the post{before} and before {name}, "
                        "without naming them.",
                    )
                )
            if (
                QualityIssueKind.TENURE_ENDS_BEFORE_START in wanted
                and head.start is not None
                and head.end is not None
                and head.end.last_day < head.start.first_day
            ):
                found.append(
                    QualityIssue(
                        QualityIssueKind.TENURE_ENDS_BEFORE_START,
                        "HeadOfMission",
                        head.id,
                        f"{name}'s tenure ends ({head.end}) before it starts ({head.start}).",
                    )
                )
            if QualityIssueKind.OVERLAPPING_TENURES in wanted:
                found += [
                    QualityIssue(
                        QualityIssueKind.OVERLAPPING_TENURES,
                        "HeadOfMission",
                        head.id,
                        f"{name}'s tenure, from {head.start}, began before {other_name}'s "
                        f"ended ({'ongoing' if other.ongoing else other.end}), at the same post.",
                    )
                    for other, other_name in tenures[:index]
                    if _surely_overlap(other, head)
                ]
    return found


def _surely_overlap(earlier: models.HeadOfMission, later: models.HeadOfMission) -> bool:
    """Whether `later` began, by every reading of the partial dates, while `earlier` lasted."""
    if earlier.start is None or later.start is None:
        return False
    if later.start.first_day <= earlier.start.last_day:
        return False  # which of the two began first is not certain
    if earlier.ongoing:
        return True
    return earlier.end is not None and later.start.last_day < earlier.end.first_day


@cache
def beginnings() -> dict[str, PartialDate]:
    """The day each of today's countries began, by alpha-2 code, where Gleditsch and Ward's
    list gives one: the first day of its earliest spell of independence, unless that is the
    list's own first day. A country's spells are those of the state number the identifiers
    give it and of the state the list calls by the country's name (Germany is 260, the Federal
    Republic, there; the list's Germany, 255, goes back further), the earliest of either."""
    rows = [
        line.split("\t")
        for line in STATES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    numbers = gleditsch_ward()
    found: dict[str, PartialDate] = {}
    for country in iso_countries():
        names = {display_name(country.code), iso_name(country.code)}
        starts = [
            start
            for number, _, name, start, _ in rows
            if number == numbers.get(country.code) or name in names
        ]
        if starts and min(starts) != _LIST_BEGINS:
            found[country.code] = PartialDate.parse(min(starts))
    return found


async def _opened_before_existence(
    db: Any, missions: Sequence[int] | None, wanted: set[QualityIssueKind]
) -> list[QualityIssue]:
    """Posts opened, by every reading of the dates, before the state that keeps them or the
    country they are in began: a former state's beginning is the gazetteer's (existed_from),
    today's countries' Gleditsch and Ward's (beginnings). The host is judged only for a post
    accredited to a state that was that from the start (no kind changes recorded: the US
    consulate in Saigon became its embassy)."""
    M = models.Mission
    sender, host = aliased(models.Country), aliased(models.Country)
    rows = await db.execute(
        select(
            M.id,
            M.name,
            M.opened,
            sender.code,
            sender.name,
            sender.existed_from,
            host.code,
            host.name,
            host.existed_from,
            M.kind.in_(_TO_A_STATE)
            # The Office of the Historian's posts opened as consulates, most of them, with
            # no record of when they became what they are.
            & M.historian_post_id.is_(None)
            & ~exists().where(models.MissionKindPeriod.mission_id == M.id),
        )
        .join(sender, sender.id == M.country_id)
        .join(host, host.id == M.host_country_id)
        .where(_within(M.id, missions), M.opened.is_not(None))
    )
    checks = (
        (QualityIssueKind.OPENED_BEFORE_SENDER_EXISTED, 3, "{}"),
        (QualityIssueKind.OPENED_BEFORE_HOST_EXISTED, 6, "its host, {},"),
    )
    found = []
    for row in rows:
        pk, name, opened = row[0], row[1], row[2]
        for kind, at, subject in checks:
            if kind is QualityIssueKind.OPENED_BEFORE_HOST_EXISTED and not row[9]:
                continue  # a consulate opens in a colony as well as in a state
            code, country, existed_from = row[at], row[at + 1], row[at + 2]
            began = existed_from or beginnings().get(code)
            if kind in wanted and began is not None and opened.last_day < began.first_day:
                source = (
                    "" if existed_from else ", by Gleditsch and Ward's list of states since 1816"
                )
                found.append(
                    QualityIssue(
                        kind,
                        "Mission",
                        pk,
                        f"{name} opened ({opened}) before {subject.format(country)} existed "
                        f"(from {began}{source}).",
                    )
                )
    return found


async def _precision_issues(db: Any, missions: Sequence[int] | None) -> list[QualityIssue]:
    """Posts whose opening date is more precise than any source's value for it."""
    M, C = models.Mission, models.MissionClaim
    rows = await db.execute(
        select(M.id, M.opened, C.value)
        .join(C, (C.mission_id == M.id) & (C.property == "opened"))
        .where(_within(M.id, missions), M.opened.is_not(None))
        .order_by(M.id)
    )
    claimed: dict[int, tuple[PartialDate, list[str]]] = {}
    for pk, opened, value in rows:
        claimed.setdefault(pk, (opened, []))[1].append(value)
    return [
        QualityIssue(
            QualityIssueKind.DATE_MORE_PRECISE_THAN_SOURCE,
            "Mission",
            pk,
            f"The opening date {opened} is more precise than any source gives it "
            f"({', '.join(sorted(set(values)))}).",
        )
        for pk, (opened, values) in claimed.items()
        if all(len(str(opened)) > len(value) for value in values)
    ]
