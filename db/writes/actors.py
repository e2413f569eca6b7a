"""Writing people and organizations."""

from __future__ import annotations

from sqlalchemy import select

from db import models
from db.models import OrganizationKind
from db.partial_date import PartialDate
from db.search import reindex
from db.writes.edit import Edit


async def create_person(edit: Edit, name: str, country: str | None) -> int:
    """Add a person; their name is their natural key, so it must be new."""
    tidy = edit.text(name, ("name",), "The name")
    country_id = await edit.country(country, ("country",))
    if tidy and await edit.session.scalar(
        select(models.Person.id).where(models.Person.name == tidy)
    ):
        edit.reject(("name",), f"A person named {tidy!r} exists already.", "DUPLICATE")
    edit.stop_if_rejected()
    person = models.Person(name=tidy, country_id=country_id)
    edit.session.add(person)
    await edit.session.flush()
    await reindex(edit.session, "person", [person.id])
    await edit.log("person", person.id, None)
    return person.id


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
