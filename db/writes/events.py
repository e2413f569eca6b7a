"""Writing events and who took part in them: in batches (`write_events`), and edit by edit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.chunks import rows_in
from db.involvement import refresh_event_countries
from db.kinds import PARTICIPANTS
from db.models import EventKind, VisitType
from db.partial_date import PartialDate
from db.relation_links import drop_unlinked_relations, ensure_event_relations, event_pairs
from db.search import reindex
from db.writes.batch import Batch, Written, assign, insert_rows
from db.writes.changes import snapshot
from db.writes.edit import Edit, Field, Policy, Ref, SourceSpec


@dataclass(frozen=True)
class ParticipantSpec:
    """A participant as a write gives it: a reference (None when its ID was unusable), a role,
    and the source that says it took part, where one does (an imported record)."""

    ref: Ref | None
    role: str | None = None
    source: SourceSpec | None = None


@dataclass(frozen=True)
class FigureSpec:
    """A figure as a write gives it, and the source that states it, where one does."""

    label: str
    value: float
    unit: str
    source: SourceSpec | None = None


@dataclass(frozen=True)
class QuoteSpec:
    """Words a person (row id) said at an event, when, and the source that quotes them."""

    speaker_id: int
    text: str
    date: PartialDate | None = None
    source: SourceSpec | None = None


@dataclass(frozen=True)
class NewEvent:
    title: str
    kind: EventKind
    date: PartialDate
    summary: str
    sources: Sequence[SourceSpec]
    end_date: PartialDate | None = None
    place_name: str | None = None
    place_country: str | None = None
    countries: Sequence[str] = ()
    participants: Sequence[ParticipantSpec] = ()
    figures: Sequence[FigureSpec] = ()
    quotes: Sequence[QuoteSpec] = ()
    visit_type: VisitType | None = None
    key: str | None = None  # the source's own id for it, with the batch's origin


async def _duplicate(
    edit: Edit, date: PartialDate, title: str, other_than: int | None = None
) -> None:
    """A problem when another event has this date and title (the natural key)."""
    statement = select(models.Event.id).where(
        models.Event.date == date, models.Event.title == title
    )
    if other_than is not None:
        statement = statement.where(models.Event.id != other_than)
    if await edit.session.scalar(statement) is not None:
        edit.reject(("title",), f"An event titled {title!r} on {date} exists already.", "DUPLICATE")


def _participation(
    event_id: int, ref: Ref, role: str | None, source_id: int | None = None
) -> dict[str, Any]:
    """A participation's row, for a Core insert (its folded role set here, as on the ORM's)."""
    kind, pk = ref
    folded = None if role is None else role.casefold()
    references: dict[str, int | None] = {f"{k.name}_id": None for k in PARTICIPANTS}
    return {
        "event_id": event_id,
        "role": role,
        "role_folded": folded,
        **references,
        f"{kind}_id": pk,
        "source_id": source_id,
    }


async def _touched(edit: Edit, event_id: int) -> None:
    """Bring what is derived from an event up to date: its countries, the relations of the
    countries it linked or links, and its search entry."""
    await edit.session.flush()
    before = await event_pairs(edit.session, [event_id])
    await refresh_event_countries(edit.session, [event_id])
    await ensure_event_relations(edit.session, [event_id])
    await drop_unlinked_relations(edit.session, before)
    await reindex(edit.session, "event", [event_id])


async def write_events(
    edit: Edit, events: Sequence[NewEvent], origin: str | None = None
) -> Written:
    """Create or update events with their participants, countries, figures and sources.

    A record names the event its key was written to, else the event of its date and title
    (their natural key): a mutation refuses to add such an event twice, an import adopts it.
    An event the batch changes gets the record's own fields, and its version grows by one; a
    new one starts at 1. An event its record's key names gets exactly the record's
    participants, countries, figures and sources (a newer release's replace an older's); an
    adopted one gets those it lacks. An end before the start, and a blank title or summary,
    are faults, refused or flagged as the edit's policy says. The batch is read and written
    in a few statements, whatever its size.
    """
    session = edit.session
    batch = Batch(edit, "event", origin)
    recorded = await batch.recorded([new.key for new in events])
    await edit.cite(
        [
            *(spec for new in events for spec in new.sources),
            *(p.source for new in events for p in new.participants if p.source is not None),
            *(f.source for new in events for f in new.figures if f.source is not None),
            *(q.source for new in events for q in new.quotes if q.source is not None),
        ]
    )
    await edit.look_up(
        [
            *(p.ref for new in events for p in new.participants if p.ref is not None),
            *(("person", q.speaker_id) for new in events for q in new.quotes),
        ]
    )
    checked = [await _checked(edit, index, new) for index, new in enumerate(events)]
    E = models.Event
    same: dict[tuple[PartialDate, str], int] = {}  # events by natural key, for an import
    if edit.policy is Policy.FLAG:
        unrecorded = [
            c.title for new, c in zip(events, checked, strict=True) if new.key not in recorded
        ]
        statement = select(E.date, E.title, E.id).order_by(E.id)
        for date, title, pk in await rows_in(session, statement, E.title, unrecorded):
            same.setdefault((date, title), pk)
    rows: list[int | None] = []
    own: list[bool] = []  # whether the record's key names the event
    for new, record in zip(events, checked, strict=True):
        pk = recorded.get(new.key) if new.key is not None else None
        own.append(pk is not None)
        if pk is None and record.title and edit.policy is Policy.REFUSE:
            await _duplicate(edit, new.date, record.title)
        elif pk is None and record.title:
            pk = same.get((new.date, record.title))
        rows.append(pk)
    edit.stop_if_rejected()
    matched = list(dict.fromkeys(pk for pk in rows if pk is not None))
    found = await batch.rows(E, matched)
    links = await _Links.read(session, matched)
    values = [_values(new, record) for new, record in zip(events, checked, strict=True)]
    # What the batch changes on each event it matched, found before anything is written.
    changes: dict[int, dict[str, Any]] = {}
    for index, pk in enumerate(rows):
        if pk is None:
            continue
        row = found[pk]
        differs = {name: v for name, v in values[index].items() if getattr(row, name) != v}
        linked = links.give(pk, events[index], checked[index], replace=own[index])
        if differs or linked:
            changes.setdefault(pk, {}).update(differs)
    await batch.existing(list(changes), unchanged=len(matched) - len(changes))
    replaced = [pk for pk, keyed in zip(rows, own, strict=True) if keyed and pk in changes]
    before = await event_pairs(session, replaced)  # the pairs replaced links may leave
    for pk, differs in changes.items():
        assign(found[pk], differs)
        found[pk].version += 1
    fresh = [index for index, pk in enumerate(rows) if pk is None]
    keyed = origin is not None
    created = await insert_rows(
        session,
        table_of(E),
        [
            {
                **values[index],
                "version": 1,
                # Where an imported event came from, as the API shows it (Event.dataset).
                "dataset": origin if keyed and events[index].key else None,
                "record_id": events[index].key if keyed else None,
            }
            for index in fresh
        ],
    )
    for index, pk in zip(fresh, created, strict=True):
        rows[index] = pk
        links.give(pk, events[index], checked[index], replace=True)
    batch.created += created
    await links.write(session)
    touched = [*changes, *created]  # the events written, whose derived rows follow
    await refresh_event_countries(session, touched)
    await ensure_event_relations(session, touched)
    await drop_unlinked_relations(session, before)
    return await batch.finish([pk for pk in rows if pk is not None], [new.key for new in events])


def _values(new: NewEvent, record: _Checked) -> dict[str, Any]:
    """An event's own fields, as a record gives them."""
    return {
        "title": record.title,
        "kind": new.kind,
        "date": new.date,
        "end_date": new.end_date,
        "place_name": record.place_name,
        "place_country_id": record.place_country,
        "summary": record.summary,
        "visit_type": new.visit_type,
    }


@dataclass(frozen=True)
class _Checked:
    """An event record's fields as checked and tidied, and the row ids it names."""

    title: str
    summary: str
    place_name: str | None
    place_country: int | None
    countries: list[int]
    sources: list[int]
    participant_sources: list[int | None]
    figure_sources: list[int | None]
    quote_sources: list[int | None]


async def _checked(edit: Edit, index: int, new: NewEvent) -> _Checked:
    """An event record's title, summary, place, place's country, countries and sources, tidied
    and checked; a problem for each thing wrong."""
    title = edit.text(new.title, ("title",), "The title", index) or ""
    summary = edit.text(new.summary, ("summary",), "The summary", index) or ""
    edit.period(new.date, new.end_date, ("end_date",), "end date", index)
    place_name = edit.text(new.place_name, ("place_name",), "The place")
    place_country = await edit.country(new.place_country, ("place_country",))
    countries = [
        await edit.country(code, ("countries", index)) for index, code in enumerate(new.countries)
    ]
    cited: list[int | None] = []
    for position, participant in enumerate(new.participants):
        if participant.ref is not None:
            await edit.exists(participant.ref, ("participants", position, "ref"))
        field = ("participants", position, "source")
        cited.append(await _source(edit, participant.source, field))
    refs = [p.ref for p in new.participants if p.ref is not None]
    if len(set(refs)) != len(refs):
        edit.reject(("participants",), "A participant is listed twice.", "DUPLICATE")
    figure_sources: list[int | None] = []
    for position, figure in enumerate(new.figures):
        edit.text(figure.label, ("figures", position, "label"), "A figure's label")
        edit.text(figure.unit, ("figures", position, "unit"), "A figure's unit")
        figure_sources.append(await _source(edit, figure.source, ("figures", position, "source")))
    quote_sources: list[int | None] = []
    for position, quote in enumerate(new.quotes):
        await edit.exists(("person", quote.speaker_id), ("quotes", position, "speaker_id"))
        edit.text(quote.text, ("quotes", position, "text"), "A quote's text")
        quote_sources.append(await _source(edit, quote.source, ("quotes", position, "source")))
    if not new.sources:
        edit.reject(("sources",), "An event needs at least one source.")
    source_ids = await edit.sources(new.sources, ("sources",))
    known = [pk for pk in countries if pk is not None]
    return _Checked(
        title,
        summary,
        place_name,
        place_country,
        known,
        source_ids,
        cited,
        figure_sources,
        quote_sources,
    )


async def _source(edit: Edit, source: SourceSpec | None, field: Field) -> int | None:
    """The row id of the one source a participant, figure or quote may name."""
    said = [] if source is None else await edit.sources([source], field)
    return said[0] if said else None


class _Links:
    """What hangs on a batch's events (declared countries, participants, figures, quotes,
    sources): read for all of them in a few statements, changed in memory, written in a few
    more."""

    def __init__(self) -> None:
        self.declared: dict[int, set[int]] = defaultdict(set)
        self.taking_part: dict[int, dict[Ref, Any]] = defaultdict(dict)
        self.figures: dict[int, dict[tuple[str, str], Any]] = defaultdict(dict)
        self.quotes: dict[int, dict[tuple[int, str], Any]] = defaultdict(dict)
        self.cited: dict[int, set[int]] = defaultdict(set)
        self.add: dict[Any, list[dict[str, Any]]] = defaultdict(list)  # rows to insert, by table
        self.drop: dict[Any, list[Any]] = defaultdict(list)  # conditions of rows to delete
        self.updates: list[tuple[Any, int, dict[str, Any]]] = []  # (table, row id, values)

    @classmethod
    async def read(cls, session: AsyncSession, ids: Sequence[int]) -> _Links:
        links = cls()
        D, P, F, Q, S = (
            table_of(models.EventCountryDeclared),
            table_of(models.Participation),
            table_of(models.Figure),
            table_of(models.Quote),
            models.event_source,
        )
        for event_id, country_id in await rows_in(
            session, select(D.c.event_id, D.c.country_id), D.c.event_id, ids
        ):
            links.declared[event_id].add(country_id)
        for row in await rows_in(session, select(P).order_by(P.c.id), P.c.event_id, ids):
            links.taking_part[row.event_id][_ref_of(row)] = row
        for row in await rows_in(session, select(F).order_by(F.c.id), F.c.event_id, ids):
            links.figures[row.event_id][(row.label, row.unit)] = row
        for row in await rows_in(session, select(Q).order_by(Q.c.id), Q.c.event_id, ids):
            links.quotes[row.event_id][(row.speaker_id, row.text)] = row
        for event_id, source_id in await rows_in(
            session, select(S.c.event_id, S.c.source_id), S.c.event_id, ids
        ):
            links.cited[event_id].add(source_id)
        return links

    def give(self, event_id: int, new: NewEvent, record: _Checked, *, replace: bool) -> bool:
        """Give an event the record's countries, participants, figures and sources it lacks
        (and the record's role, value and date where those differ); with `replace`, take
        away those the record does not give, but quotes (a seed file's or an editor's words,
        which the keyed imports never give). True when anything changes."""
        D, P, F, Q, S = (
            table_of(models.EventCountryDeclared),
            table_of(models.Participation),
            table_of(models.Figure),
            table_of(models.Quote),
            models.event_source,
        )
        size = self._size()
        countries = dict.fromkeys(record.countries)
        for country_id in countries:
            if country_id not in self.declared[event_id]:
                self.add[D].append({"event_id": event_id, "country_id": country_id})
        taking_part = self.taking_part[event_id]
        wanted: set[Ref] = set()
        for participant, source_id in zip(
            new.participants, record.participant_sources, strict=True
        ):
            assert participant.ref is not None
            wanted.add(participant.ref)
            row = taking_part.get(participant.ref)
            if row is None:
                self.add[P].append(
                    _participation(event_id, participant.ref, participant.role, source_id)
                )
            elif row.role != participant.role:
                folded = None if participant.role is None else participant.role.casefold()
                self.updates.append((P, row.id, {"role": participant.role, "role_folded": folded}))
        figures = self.figures[event_id]
        for figure, source_id in zip(new.figures, record.figure_sources, strict=True):
            stated = {"label": figure.label, "value": figure.value, "unit": figure.unit}
            known = figures.get((figure.label, figure.unit))
            self._keep(F, known, {"event_id": event_id, **stated, "source_id": source_id}, "value")
        quotes = self.quotes[event_id]
        for quote, source_id in zip(new.quotes, record.quote_sources, strict=True):
            said = {"speaker_id": quote.speaker_id, "text": quote.text, "date": quote.date}
            known = quotes.get((quote.speaker_id, quote.text))
            self._keep(Q, known, {"event_id": event_id, **said, "source_id": source_id}, "date")
        sources = dict.fromkeys(record.sources)
        for source_id in sources:
            if source_id not in self.cited[event_id]:
                self.add[S].append({"event_id": event_id, "source_id": source_id})
        if replace:
            for country_id in self.declared[event_id] - set(countries):
                self.drop[D].append((D.c.event_id == event_id) & (D.c.country_id == country_id))
            for ref, row in taking_part.items():
                if ref not in wanted:
                    self.drop[P].append(P.c.id == row.id)
            kept = {(f.label, f.unit) for f in new.figures}
            for key, row in figures.items():
                if key not in kept:
                    self.drop[F].append(F.c.id == row.id)
            for source_id in self.cited[event_id] - set(sources):
                self.drop[S].append((S.c.event_id == event_id) & (S.c.source_id == source_id))
        return self._size() != size

    def _keep(self, table: Any, known: Any, row: dict[str, Any], column: str) -> None:
        """Add a row where its event has none of its kind and key, else give the one there
        the row's `column` where it differs."""
        if known is None:
            self.add[table].append(row)
        elif getattr(known, column) != row[column]:
            self.updates.append((table, known.id, {column: row[column]}))

    def _size(self) -> int:
        """How many changes are noted: a record that adds to it changes its event."""
        noted = sum(map(len, self.add.values())) + sum(map(len, self.drop.values()))
        return noted + len(self.updates)

    async def write(self, session: AsyncSession) -> None:
        """Write what `give` found missing or gone, a statement per table and change."""
        await session.flush()
        for table, conditions in self.drop.items():
            for start in range(0, len(conditions), 500):
                await session.execute(delete(table).where(or_(*conditions[start : start + 500])))
        for table, pk, values in self.updates:
            await session.execute(update(table).where(table.c.id == pk).values(values))
        for table, rows in self.add.items():
            if rows:
                await session.execute(insert(table), rows)


def _ref_of(row: models.Participation) -> Ref:
    """What a participation names: the kind and row id of its participant."""
    for kind in PARTICIPANTS:
        pk = getattr(row, f"{kind.name}_id")
        if pk is not None:
            return kind.name, pk
    raise AssertionError("a participation names a participant")


@dataclass(frozen=True)
class EventChanges:
    """The fields an update sets; None leaves a field as it is."""

    title: str | None = None
    kind: EventKind | None = None
    date: PartialDate | None = None
    end_date: PartialDate | None = None
    summary: str | None = None


async def _bump(edit: Edit, event_id: int, expected: int | None) -> None:
    """Raise the event's version by one; a CONFLICT when it is not the version the client read."""
    statement = update(models.Event).where(models.Event.id == event_id)
    if expected is not None:
        statement = statement.where(models.Event.version == expected)
    result = await edit.session.execute(statement.values(version=models.Event.version + 1))
    if result.rowcount == 0:  # type: ignore[attr-defined]
        current = await edit.session.scalar(
            select(models.Event.version).where(models.Event.id == event_id)
        )
        edit.reject(
            ("expected",),
            f"The event is at version {current}, not {expected}: reload it and try again.",
            "CONFLICT",
        )
        edit.stop_if_rejected()


async def update_event(
    edit: Edit, event_id: int, changes: EventChanges, expected: int | None
) -> None:
    """Change an event's own fields, checked against its version when one is given."""
    event = await edit.session.get(models.Event, event_id)
    assert event is not None  # the caller has checked the reference
    before = await snapshot(edit.session, "event", event_id)
    title = edit.text(changes.title, ("title",), "The title")
    summary = edit.text(changes.summary, ("summary",), "The summary")
    date = changes.date or event.date
    end_date = changes.end_date or event.end_date
    edit.period(date, end_date, ("end_date",), "end date")
    if title or changes.date:
        await _duplicate(edit, date, title or event.title, other_than=event_id)
    edit.stop_if_rejected()
    await _bump(edit, event_id, expected)
    values = {
        "title": title,
        "kind": changes.kind,
        "date": changes.date,
        "end_date": changes.end_date,
        "summary": summary,
    }
    changed = {name: value for name, value in values.items() if value is not None}
    if changed:
        await edit.session.execute(
            update(models.Event).where(models.Event.id == event_id).values(changed)
        )
    await _touched(edit, event_id)
    await edit.log("event", event_id, before)


async def delete_event(edit: Edit, event_id: int) -> None:
    """Remove an event and everything that hangs on it."""
    before = await snapshot(edit.session, "event", event_id)
    pairs = await event_pairs(edit.session, [event_id])
    for table in (models.event_country, models.event_source):
        await edit.session.execute(delete(table).where(table.c.event_id == event_id))
    for model in (models.EventCountryDeclared, models.Figure, models.Quote, models.Participation):
        await edit.session.execute(delete(model).where(model.event_id == event_id))
    await edit.session.execute(delete(models.Event).where(models.Event.id == event_id))
    await drop_unlinked_relations(edit.session, pairs)
    await reindex(edit.session, "event", [event_id])
    await edit.log("event", event_id, before)


def _participant_column(ref: Ref) -> ColumnElement[bool]:
    kind, pk = ref
    column: ColumnElement[int | None] = getattr(models.Participation, f"{kind}_id")
    return column == pk


async def add_participant(edit: Edit, event_id: int, participant: ParticipantSpec) -> None:
    """Add one participant to an event; a DUPLICATE if it takes part already."""
    assert participant.ref is not None
    before = await snapshot(edit.session, "event", event_id)
    if await edit.exists(participant.ref, ("participant",)):
        taken = await edit.session.scalar(
            select(models.Participation.id).where(
                models.Participation.event_id == event_id, _participant_column(participant.ref)
            )
        )
        if taken is not None:
            edit.reject(("participant",), "This participant takes part already.", "DUPLICATE")
    edit.stop_if_rejected()
    await _bump(edit, event_id, None)
    await edit.session.execute(
        insert(table_of(models.Participation)),
        [_participation(event_id, participant.ref, participant.role)],
    )
    await _touched(edit, event_id)
    await edit.log("event", event_id, before)


async def remove_participant(edit: Edit, event_id: int, ref: Ref) -> None:
    """Remove a participant from an event; NOT_FOUND if it does not take part."""
    before = await snapshot(edit.session, "event", event_id)
    result = await edit.session.execute(
        delete(models.Participation).where(
            models.Participation.event_id == event_id, _participant_column(ref)
        )
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        edit.reject(
            ("ref",),
            "This participant does not take part in the event.",
            "NOT_FOUND",
        )
        edit.stop_if_rejected()
    await _bump(edit, event_id, None)
    await _touched(edit, event_id)
    await edit.log("event", event_id, before)
