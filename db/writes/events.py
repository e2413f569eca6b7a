"""Writing events and who took part in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, insert, select, update

from db import models
from db.involvement import refresh_event_countries
from db.models import EventKind
from db.partial_date import PartialDate
from db.relation_links import ensure_event_relations
from db.search import reindex
from db.writes.edit import Edit, Ref, SourceSpec
from db.writes.snapshots import snapshot


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
    countries it links, and its search entry."""
    await edit.session.flush()
    await refresh_event_countries(edit.session, [event_id])
    await ensure_event_relations(edit.session, [event_id])
    await reindex(edit.session, "event", [event_id])


async def create_event(edit: Edit, new: NewEvent) -> int:
    """Add an event with its participants, figures and sources; its version starts at 1."""
    title = edit.text(new.title, ("title",), "The title")
    summary = edit.text(new.summary, ("summary",), "The summary")
    edit.period(new.date, new.end_date, ("end_date",), "end date")
    place_name = edit.text(new.place_name, ("place_name",), "The place")
    place_country = await edit.country(new.place_country, ("place_country",))
    countries = [
        await edit.country(code, ("countries", index)) for index, code in enumerate(new.countries)
    ]
    for index, participant in enumerate(new.participants):
        if participant.ref is not None:
            await edit.exists(participant.ref, ("participants", index, "ref"))
    refs = [p.ref for p in new.participants if p.ref is not None]
    if len(set(refs)) != len(refs):
        edit.reject(("participants",), "A participant is listed twice.", "DUPLICATE")
    for index, figure in enumerate(new.figures):
        edit.text(figure.label, ("figures", index, "label"), "A figure's label")
        edit.text(figure.unit, ("figures", index, "unit"), "A figure's unit")
    if not new.sources:
        edit.reject(("sources",), "An event needs at least one source.")
    source_ids = await edit.sources(new.sources, ("sources",))
    if title:
        await _duplicate(edit, new.date, title)
    edit.stop_if_rejected()

    event = models.Event(
        title=title,
        kind=new.kind,
        date=new.date,
        end_date=new.end_date,
        place_name=place_name,
        place_country_id=place_country,
        summary=summary,
        version=1,
    )
    edit.session.add(event)
    await edit.session.flush()
    for country_id in dict.fromkeys(countries):
        edit.session.add(models.EventCountryDeclared(event_id=event.id, country_id=country_id))
    for participant in new.participants:
        assert participant.ref is not None
        edit.session.add(_participation(event.id, participant.ref, participant.role))
    for figure in new.figures:
        edit.session.add(
            models.Figure(
                event_id=event.id, label=figure.label, value=figure.value, unit=figure.unit
            )
        )
    for source_id in dict.fromkeys(source_ids):
        await edit.session.execute(
            insert(models.event_source).values(event_id=event.id, source_id=source_id)
        )
    await _touched(edit, event.id)
    await edit.log("event", event.id, None)
    return event.id


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
    for table in (models.event_country, models.event_source):
        await edit.session.execute(delete(table).where(table.c.event_id == event_id))
    for model in (models.EventCountryDeclared, models.Figure, models.Quote, models.Participation):
        await edit.session.execute(delete(model).where(model.event_id == event_id))
    await edit.session.execute(delete(models.Event).where(models.Event.id == event_id))
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
