"""Writing people and organizations.

`write_people(edit, records, origin)` creates or updates people in a batch. A record names
the row its `key` was written to by an earlier import of `origin`; else the person of its
name (a person's name is their natural key). A mutation (Policy.REFUSE) refuses a name that
is taken; an import adopts that person, unless an earlier record of its origin is that
person already: then the new person is told apart as "Name (key)".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db import models
from db.chunks import rows_in
from db.models import OrganizationKind
from db.partial_date import PartialDate
from db.search import reindex
from db.writes.batch import Batch, Written, assign
from db.writes.edit import Edit, Policy, SourceSpec


@dataclass(frozen=True)
class PersonRecord:
    """A person as a write gives them: a name, a country's ISO code, sources, a source's key."""

    name: str
    country: str | None = None
    sources: Sequence[SourceSpec] = ()
    key: str | None = None


async def write_people(
    edit: Edit, people: Sequence[PersonRecord], origin: str | None = None
) -> Written:
    """Create or update people; Rejected (nothing written) if any record is wrong."""
    batch = Batch(edit, "person", origin)
    recorded = await batch.recorded([person.key for person in people])
    names = [edit.text(person.name, ("name",), "The name") or "" for person in people]
    countries = [await edit.country(person.country, ("country",)) for person in people]
    sources = [await edit.sources(person.sources, ("sources",)) for person in people]
    P = models.Person
    taken = dict(await rows_in(edit.session, select(P.name, P.id), P.name, names))
    recorded_rows = set(recorded.values())
    rows: list[int | None] = []
    for index, person in enumerate(people):
        pk = recorded.get(person.key) if person.key is not None else None
        name = names[index]
        if pk is None and name in taken:
            if edit.policy is Policy.REFUSE:
                edit.reject(("name",), f"A person named {name!r} exists already.", "DUPLICATE")
            elif taken[name] in recorded_rows:  # another of this origin's people has that name
                names[index] = f"{name} ({person.key})"
            else:
                pk = taken[name]
        rows.append(pk)
    edit.stop_if_rejected()
    matched = [pk for pk in rows if pk is not None]
    await batch.existing(matched)
    found = await batch.rows(P, matched)
    written: list[models.Person] = []
    for index, pk in enumerate(rows):
        values: dict[str, Any] = {"name": names[index]}
        if countries[index] is not None:
            values["country_id"] = countries[index]
        if sources[index]:
            values["source_id"] = sources[index][0]
        row = P(**values) if pk is None else found[pk]
        if pk is None:
            edit.session.add(row)
        else:
            assign(row, values)
        written.append(row)
    await edit.session.flush()  # the new rows in one statement
    batch.created += [row.id for row, pk in zip(written, rows, strict=True) if pk is None]
    return await batch.finish([row.id for row in written], [person.key for person in people])


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
