"""Writing events and who took part in them: in batches (`write_events`), and edit by edit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, insert, select, update

from db import models
from db.involvement import refresh_event_countries
from db.kinds import PARTICIPANTS
from db.models import EventKind
from db.partial_date import PartialDate
from db.relation_links import drop_unlinked_relations, ensure_event_relations, event_pairs
from db.search import reindex
from db.writes.batch import Batch, Written, assign
from db.writes.changes import snapshot
from db.writes.edit import Edit, Policy, Ref, SourceSpec


@dataclass(frozen=True)
class ParticipantSpec:
    """A participant as a write gives it: a reference (None when its ID was unusable) and a role."""

    ref: Ref | None
    role: str | None = None


@dataclass(frozen=True)
class FigureSpec:
    label: str
    value: float
    unit: str


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


def _participation(event_id: int, ref: Ref, role: str | None) -> models.Participation:
    kind, pk = ref
    return models.Participation(event_id=event_id, role=role, **{f"{kind}_id": pk})


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
    An event the batch changes gets the record's own fields and whatever participants,
    countries, figures and sources it lacks, and its version grows by one; a new one starts
    at 1. An end before the start is a fault, refused or flagged as the edit's policy says.
    """
    batch = Batch(edit, "event", origin)
    recorded = await batch.recorded([new.key for new in events])
    checked = [await _checked(edit, index, new) for index, new in enumerate(events)]
    E = models.Event
    rows: list[int | None] = []
    for new, (title, *_) in zip(events, checked, strict=True):
        pk = recorded.get(new.key) if new.key is not None else None
        if pk is None and title and edit.policy is Policy.REFUSE:
            await _duplicate(edit, new.date, title)
        elif pk is None and title:
            same = select(E.id).where(E.date == new.date, E.title == title)
            pk = await edit.session.scalar(same.order_by(E.id).limit(1))
        rows.append(pk)
    edit.stop_if_rejected()
    matched = [pk for pk in rows if pk is not None]
    await batch.existing(matched)
    found = await batch.rows(E, matched)
    ids: list[int] = []
    for new, pk, (title, summary, place_name, place_country, countries, source_ids) in zip(
        events, rows, checked, strict=True
    ):
        values = {
            "title": title,
            "kind": new.kind,
            "date": new.date,
            "end_date": new.end_date,
            "place_name": place_name,
            "place_country_id": place_country,
            "summary": summary,
        }
        if pk is None:
            event = E(**values, version=1)
            edit.session.add(event)
            await edit.session.flush()
            batch.created.append(event.id)
            changed = await _linked(edit, event.id, new, countries, source_ids)
        else:
            event = found[pk]
            changed = assign(event, values)
            changed = await _linked(edit, event.id, new, countries, source_ids) or changed
            if changed:
                event.version += 1
        ids.append(event.id)
    await edit.session.flush()
    await refresh_event_countries(edit.session, ids)
    await ensure_event_relations(edit.session, ids)
    return await batch.finish(ids, [new.key for new in events])


async def _checked(
    edit: Edit, index: int, new: NewEvent
) -> tuple[str, str, str | None, int | None, list[int], list[int]]:
    """An event record's title, summary, place, place's country, countries and sources, tidied
    and checked; a problem for each thing wrong."""
    title = edit.text(new.title, ("title",), "The title") or ""
    summary = edit.text(new.summary, ("summary",), "The summary") or ""
    edit.period(new.date, new.end_date, ("end_date",), "end date", index)
    place_name = edit.text(new.place_name, ("place_name",), "The place")
    place_country = await edit.country(new.place_country, ("place_country",))
    countries = [
        await edit.country(code, ("countries", index)) for index, code in enumerate(new.countries)
    ]
    for position, participant in enumerate(new.participants):
        if participant.ref is not None:
            await edit.exists(participant.ref, ("participants", position, "ref"))
    refs = [p.ref for p in new.participants if p.ref is not None]
    if len(set(refs)) != len(refs):
        edit.reject(("participants",), "A participant is listed twice.", "DUPLICATE")
    for position, figure in enumerate(new.figures):
        edit.text(figure.label, ("figures", position, "label"), "A figure's label")
        edit.text(figure.unit, ("figures", position, "unit"), "A figure's unit")
    if not new.sources:
        edit.reject(("sources",), "An event needs at least one source.")
    source_ids = await edit.sources(new.sources, ("sources",))
    known = [pk for pk in countries if pk is not None]
    return title, summary, place_name, place_country, known, source_ids


async def _linked(
    edit: Edit, event_id: int, new: NewEvent, countries: Sequence[int], source_ids: Sequence[int]
) -> bool:
    """Give an event the record's countries, participants, figures and sources it lacks (and
    the record's role and value where those differ); True when anything changed."""
    session = edit.session
    D, P, F, S = (
        models.EventCountryDeclared,
        models.Participation,
        models.Figure,
        models.event_source,
    )
    declared = set(await session.scalars(select(D.country_id).where(D.event_id == event_id)))
    taking_part = {
        ref: row
        for row in await session.scalars(select(P).where(P.event_id == event_id))
        for ref in [_ref_of(row)]
    }
    figures = {
        (f.label, f.unit): f for f in await session.scalars(select(F).where(F.event_id == event_id))
    }
    cited = set(await session.scalars(select(S.c.source_id).where(S.c.event_id == event_id)))
    changed = False
    for country_id in dict.fromkeys(countries):
        if country_id not in declared:
            session.add(D(event_id=event_id, country_id=country_id))
            changed = True
    for participant in new.participants:
        assert participant.ref is not None
        row = taking_part.get(participant.ref)
        if row is None:
            session.add(_participation(event_id, participant.ref, participant.role))
            changed = True
        else:
            changed = assign(row, {"role": participant.role}) or changed
    for figure in new.figures:
        found = figures.get((figure.label, figure.unit))
        if found is None:
            session.add(
                F(event_id=event_id, label=figure.label, value=figure.value, unit=figure.unit)
            )
            changed = True
        else:
            changed = assign(found, {"value": figure.value}) or changed
    for source_id in dict.fromkeys(source_ids):
        if source_id not in cited:
            await session.execute(insert(S).values(event_id=event_id, source_id=source_id))
            changed = True
    return changed


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
    edit.session.add(_participation(event_id, participant.ref, participant.role))
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
