"""Writing people and organizations.

`write_people(edit, records, origin)` creates or updates people in a batch. A record names
the person its `key` was written to by an earlier import of `origin`; else the person of its
`historian_id` (the Office of the Historian's id for them); else the person of its name (a
person's name is their natural key). A mutation (Policy.REFUSE) refuses a name that is
taken. An import adopts the person of that name, unless the record may not (`by_name`: a name
its source gives two people names neither) or that person is another record's of its source
(an earlier record of its origin, or another Office id): then the new person is told apart
(`told_apart`, by default "Name (key)").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db import models
from db.base import table_of
from db.chunks import rows_in
from db.models import OrganizationKind
from db.partial_date import PartialDate
from db.search import reindex
from db.writes.batch import Batch, Written, assign, differences, insert_rows
from db.writes.edit import Edit, Policy, SourceSpec


@dataclass(frozen=True)
class PersonRecord:
    """A person as a write gives them: a name, a country's ISO code, sources, a source's key,
    and what the Office of the Historian says besides: its id for them, the years they were
    born and died, their career type (None: the record does not say)."""

    name: str
    country: str | None = None
    sources: Sequence[SourceSpec] = ()
    key: str | None = None
    historian_id: str | None = None
    born: int | None = None
    died: int | None = None
    career_type: str | None = None
    # In an import: whether the person its name names may be taken for it (not when its
    # source gives that name to two people), and the name a new person gets when another
    # has its own (None: "Name (key)").
    by_name: bool = True
    told_apart: str | None = None
    # A record that names a person without speaking for them (an event's participant): it
    # finds them, or makes them with what it says, and changes nothing on one it finds.
    mention: bool = False


# What the Office of the Historian says of a person, by column (and field of PersonRecord).
_FACTS = ("historian_id", "born", "died", "career_type")

# How a record found its person: by its key, by the Office's id, by name, or not (new).
_KEY, _ID, _NAME = "key", "id", "name"


async def write_people(
    edit: Edit, people: Sequence[PersonRecord], origin: str | None = None
) -> Written:
    """Create or update people; Rejected (nothing written) if any record is wrong.

    What a record sets on the person it finds is `_values`'. Records of one batch that name
    one person (the same Office id, or a name an import may adopt) are written to one row.
    The batch is read and written in a few statements, whatever its size.
    """
    session = edit.session
    batch = Batch(edit, "person", origin)
    recorded = await batch.recorded([person.key for person in people])
    await edit.cite([spec for person in people for spec in person.sources])
    names = [edit.text(person.name, ("name",), "The name") or "" for person in people]
    countries = [await edit.country(person.country, ("country",)) for person in people]
    sources = [await edit.sources(person.sources, ("sources",)) for person in people]
    P = models.Person
    ids = [person.historian_id for person in people if person.historian_id is not None]
    by_id = dict(await rows_in(session, select(P.historian_id, P.id), P.historian_id, ids))
    taken = {
        name: (pk, historian_id)
        for name, pk, historian_id in await rows_in(
            session, select(P.name, P.id, P.historian_id), P.name, names
        )
    }
    recorded_rows = set(recorded.values())
    rows: list[int | None] = []
    found_by: list[str | None] = []
    same_as: dict[int, int] = {}  # a record written to an earlier new one's row, by index
    new_names: dict[str, int] = {}  # the names of the batch's new people, to their index
    new_ids: dict[str, int] = {}  # and their Office ids
    for index, person in enumerate(people):
        pk = recorded.get(person.key) if person.key is not None else None
        how: str | None = _KEY if pk is not None else None
        if pk is None and person.historian_id is not None:
            pk = by_id.get(person.historian_id)
            how = _ID if pk is not None else None
            if pk is None and person.historian_id in new_ids:
                same_as[index] = new_ids[person.historian_id]
        name = names[index]
        if pk is None and index not in same_as:
            owner = taken.get(name)
            earlier = new_names.get(name)
            if edit.policy is Policy.REFUSE and (owner is not None or earlier is not None):
                edit.reject(("name",), f"A person named {name!r} exists already.", "DUPLICATE")
            elif owner is not None:
                owner_pk, owner_id = owner
                if person.by_name and owner_pk not in recorded_rows and _may_be(person, owner_id):
                    pk, how = owner_pk, _NAME
                else:
                    names[index] = person.told_apart or f"{name} ({person.key})"
            elif earlier is not None:
                if person.by_name and _may_be(person, people[earlier].historian_id):
                    same_as[index] = earlier
                else:
                    names[index] = person.told_apart or f"{name} ({person.key})"
            if pk is None and index not in same_as:
                new_names[names[index]] = index
                if person.historian_id is not None:
                    new_ids[person.historian_id] = index
        rows.append(pk)
        found_by.append(how)
    edit.stop_if_rejected()
    matched = [pk for pk in rows if pk is not None]
    found = await batch.rows(P, matched)
    values = [
        _values(person, how, names[index], countries[index], sources[index])
        for index, (person, how) in enumerate(zip(people, found_by, strict=True))
    ]
    changes = differences(rows, values, found)
    await batch.existing(list(changes), unchanged=len(set(matched)) - len(changes))
    for pk, differs in changes.items():
        assign(found[pk], differs)
    fresh = [i for i, pk in enumerate(rows) if pk is None and i not in same_as]
    await session.flush()
    # Every row with every column (None where the record says nothing): one insert takes them.
    columns = dict.fromkeys(["name", "country_id", "source_id", *_FACTS], None)
    created = await insert_rows(session, table_of(P), [{**columns, **values[i]} for i in fresh])
    for index, pk in zip(fresh, created, strict=True):
        rows[index] = pk
    for index, earlier in same_as.items():
        rows[index] = rows[earlier]
    batch.created += created
    written = await batch.finish(
        [pk for pk in rows if pk is not None], [person.key for person in people]
    )
    written.adopted = {
        pk for pk, how in zip(rows, found_by, strict=True) if how == _NAME and pk is not None
    }
    return written


def _may_be(person: PersonRecord, historian_id: str | None) -> bool:
    """Whether a record may be the person of its name who has this Office id: not when both
    have one, and they differ (they are two people)."""
    return historian_id is None or person.historian_id is None


def _values(
    person: PersonRecord,
    how: str | None,
    name: str,
    country_id: int | None,
    source_ids: Sequence[int],
) -> dict[str, Any]:
    """The columns a record sets on its person, those it gives (None leaves a column as it
    is). Its name, country and source go on a person it makes or its key names, and on one
    its name names unless it has the Office's id: a person found by that id, or adopted by
    such a record, keeps them (another source named them, or an earlier release did) and
    gains the record's facts. A person a mention found is left as it is."""
    if person.mention and how is not None:
        return {}
    values: dict[str, Any] = {}
    if how in (None, _KEY) or (how == _NAME and person.historian_id is None):
        values["name"] = name
        if country_id is not None:
            values["country_id"] = country_id
        if source_ids:
            values["source_id"] = source_ids[0]
    facts = {column: getattr(person, column) for column in _FACTS}
    values.update({column: value for column, value in facts.items() if value is not None})
    return values


async def create_organization(
    edit: Edit, name: str, kind: OrganizationKind, country: str | None, founded: PartialDate | None
) -> int:
    """Add an organization; its name must be new."""
    tidy = edit.text(name, ("name",), "The name")
    country_id = await edit.country(country, ("country",))
    taken = select(models.Organization.id).where(models.Organization.name == tidy)
    if tidy and await edit.session.scalar(taken):
        edit.reject(("name",), f"An organization named {tidy!r} exists already.", "DUPLICATE")
    edit.stop_if_rejected()
    organization = models.Organization(name=tidy, kind=kind, country_id=country_id, founded=founded)
    edit.session.add(organization)
    await edit.session.flush()
    await reindex(edit.session, "organization", [organization.id])
    await edit.log("organization", organization.id, None)
    return organization.id
