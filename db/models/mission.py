"""Diplomatic and consular posts, their addresses, accreditations and heads."""

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.enums import MissionKind
from db.models.source import citation_table
from db.partial_date import PartialDate, PartialDateType

mission_source = citation_table("mission")
head_of_mission_source = citation_table("head_of_mission")


class Mission(Base):
    """A post one country (the sender) keeps in another (the host)."""

    __tablename__ = "mission"
    __table_args__ = (UniqueConstraint("country_id", "host_country_id", "kind", "city"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MissionKind]
    name: Mapped[str] = mapped_column(String(500))
    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), index=True)
    host_country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), index=True)
    city: Mapped[str] = mapped_column(String(200))
    opened: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    closed: Mapped[PartialDate | None] = mapped_column(PartialDateType)


class MissionAddress(Base):
    """Where a post was, from one date to another."""

    __tablename__ = "mission_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(1000))
    city: Mapped[str] = mapped_column(String(200))
    start: Mapped[PartialDate | None] = mapped_column("from", PartialDateType)
    end: Mapped[PartialDate | None] = mapped_column("to", PartialDateType)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class Accreditation(Base):
    """A country or organization a post is accredited to."""

    __tablename__ = "accreditation"
    __table_args__ = (
        CheckConstraint("(country_id IS NULL) <> (organization_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), index=True
    )
    country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    start: Mapped[PartialDate | None] = mapped_column("from", PartialDateType)
    end: Mapped[PartialDate | None] = mapped_column("to", PartialDateType)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class HeadOfMission(Base):
    """One person's tenure at the head of one post."""

    __tablename__ = "head_of_mission"
    __table_args__ = (
        # At most one tenure in office per post, enforced by the database itself, so that two
        # processes appointing heads at once cannot both succeed.
        Index(
            "uq_head_of_mission_one_ongoing",
            "mission_id",
            unique=True,
            sqlite_where=text("ongoing"),
            postgresql_where=text("ongoing"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    ordinal: Mapped[int | None]
    start: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    end: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    # With no end: True means the sources say the tenure goes on, False that its end is unknown.
    ongoing: Mapped[bool] = mapped_column(default=False)
    # A day the sources show this head in office when they do not say when the tenure began.
    held_on: Mapped[PartialDate | None] = mapped_column(PartialDateType)
