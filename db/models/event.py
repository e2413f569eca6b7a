"""Events, who took part in them, and what was said and counted."""

from typing import Any

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.enums import EventKind, VisitType
from db.models.source import citation_table
from db.partial_date import PartialDate, PartialDateType

event_source = citation_table("event")

# Every country an event involves: the ones named for it and the ones its participants
# stand for. Kept materialized so that "events involving A and B" is a plain join.
event_country = Table(
    "event_country",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("country_id", ForeignKey("country.id"), primary_key=True, index=True),
)


class Event(Base):
    """Something that happened, on a date known to some precision."""

    __tablename__ = "event"
    # An imported event is found again by its dataset and the record's id in it.
    __table_args__ = (UniqueConstraint("dataset", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[EventKind]
    date: Mapped[PartialDate] = mapped_column(PartialDateType, index=True)
    end_date: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    place_name: Mapped[str | None] = mapped_column(String(500))
    place_country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"))
    summary: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    visit_type: Mapped[VisitType | None]
    dataset: Mapped[str | None] = mapped_column(String(100))
    record_id: Mapped[str | None] = mapped_column(String(200))


class EventCountryDeclared(Base):
    """A country an event involves by the sources' own word, not through a participant."""

    __tablename__ = "event_declared_country"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), primary_key=True)


def folded_role(context: Any) -> str | None:
    """A role as `Event.participants(role:)` matches it: casefolded, as Python does it."""
    role = context.get_current_parameters().get("role")
    return None if role is None else str(role).casefold()


class Participation(Base):
    """How one country, person, organization or mission took part in one event."""

    __tablename__ = "participation"
    __table_args__ = (
        CheckConstraint(
            # CASE, not a sum of booleans, so that PostgreSQL accepts it too.
            " + ".join(
                f"CASE WHEN {column} IS NULL THEN 0 ELSE 1 END"
                for column in ("country_id", "person_id", "organization_id", "mission_id")
            )
            + " = 1",
            name="one_participant",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    role: Mapped[str | None] = mapped_column(String(200))
    # The role casefolded, set on insert (participations are replaced, never edited): SQL's
    # lower() is not Python's casefold outside ASCII, so the comparison is made on this.
    role_folded: Mapped[str | None] = mapped_column(String(400), default=folded_role)
    country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"), index=True)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class Quote(Base):
    """Words a person is quoted as saying, verbatim."""

    __tablename__ = "quote"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    date: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class Figure(Base):
    """A quantity a source states about an event: a value and its unit."""

    __tablename__ = "figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(500))
    value: Mapped[float]
    unit: Mapped[str] = mapped_column(String(50))  # UCUM unit or ISO 4217 currency code
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
