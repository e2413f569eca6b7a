"""People and organizations, and the positions people hold."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.enums import OrganizationKind
from db.partial_date import PartialDate, PartialDateType


class Organization(Base):
    """A government body, company, university, association or international organization."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)  # the natural key
    kind: Mapped[OrganizationKind]
    country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"), index=True)
    founded: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class Person(Base):
    """A person named by a source."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)  # the natural key
    country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    born: Mapped[int | None]  # years, as the sources give them
    died: Mapped[int | None]
    career_type: Mapped[str | None] = mapped_column(String(20))
    historian_id: Mapped[str | None] = mapped_column(String(100), unique=True)


class Position(Base):
    """An office a person held, for a country or an organization."""

    __tablename__ = "position"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    start: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    end: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    # Sources often show someone in office on one day without saying when they took it up.
    held_on: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
