"""Diplomatic and consular posts, their addresses, accreditations, heads and sourced claims."""

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.enums import ClaimRank, MissionKind, TenureEnd
from db.models.source import citation_table
from db.partial_date import PartialDate, PartialDateType

mission_source = citation_table("mission")
head_of_mission_source = citation_table("head_of_mission")


class Mission(Base):
    """A post one country (the sender) keeps in another (the host)."""

    __tablename__ = "mission"
    # No unique natural key: one sender keeps two embassies in Rome (to Italy and to the Holy
    # See) and several honorary consulates in one city. Wikidata's ID is unique where known.
    __table_args__ = (Index("ix_mission_posts", "country_id", "host_country_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MissionKind]
    name: Mapped[str] = mapped_column(String(500))
    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), index=True)
    host_country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), index=True)
    city: Mapped[str] = mapped_column(String(200))  # "" where no source names the city
    opened: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    closed: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    wikidata: Mapped[str | None] = mapped_column(String(20), unique=True)
    city_wikidata: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    website: Mapped[str | None] = mapped_column(String(2000))
    email: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(200))
    facebook: Mapped[str | None] = mapped_column(String(200))
    twitter: Mapped[str | None] = mapped_column(String(200))
    youtube: Mapped[str | None] = mapped_column(String(200))
    # The Office of the Historian's id of what the post heads: a territory ("belgium") or a
    # mission to an organization ("representative-to-un"); the US post it lists chiefs for.
    historian_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # The post's id in the Office's gazetteer of US posts (gsh): "brussels", "aarhus".
    historian_post_id: Mapped[str | None] = mapped_column(String(100), unique=True)


class MissionKindPeriod(Base):
    """What sort of post a mission was from one date to another (a legation, then an embassy)."""

    __tablename__ = "mission_kind_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MissionKind]
    start: Mapped[PartialDate | None] = mapped_column("from", PartialDateType)
    end: Mapped[PartialDate | None] = mapped_column("to", PartialDateType)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))


class MissionClaim(Base):
    """One source's value for one property of a post, kept even where another source disagrees."""

    __tablename__ = "mission_claim"
    __table_args__ = (Index("ix_mission_claim_subject", "mission_id", "property"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("mission.id", ondelete="CASCADE"))
    property: Mapped[str] = mapped_column(String(50))  # "city" or "opened"
    value: Mapped[str] = mapped_column(String(500))
    wikidata: Mapped[str | None] = mapped_column(String(20))  # the value's own item, if any
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    # The post's own column holds the preferred value; there is one per post and property.
    rank: Mapped[ClaimRank] = mapped_column(default=ClaimRank.NORMAL)
    version: Mapped[int] = mapped_column(default=1)


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


class Jurisdiction(Base):
    """An area or body a post covers that is not a country here: a province, the European Union."""

    __tablename__ = "jurisdiction"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    wikidata: Mapped[str] = mapped_column(String(20), unique=True)


class Accreditation(Base):
    """A country, organization or other jurisdiction a post is accredited to or covers."""

    __tablename__ = "accreditation"
    __table_args__ = (
        CheckConstraint(
            " + ".join(
                f"CASE WHEN {column} IS NULL THEN 0 ELSE 1 END"
                for column in ("country_id", "organization_id", "jurisdiction_id")
            )
            + " = 1",
            name="one_target",
        ),
        Index("ix_accreditation_country_id", "country_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), index=True
    )
    country_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id"))
    jurisdiction_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdiction.id"))
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
    # The sources say tenures they do not record came between this one and the one before.
    gap_before: Mapped[bool] = mapped_column(default=False, server_default=false())
    appointed: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    arrived: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    # The source's words on the start and the end ("On or shortly before", "Left post on").
    start_note: Mapped[str | None] = mapped_column(String(500))
    end_note: Mapped[str | None] = mapped_column(String(500))
    end_kind: Mapped[TenureEnd | None] = mapped_column(
        Enum(TenureEnd, native_enum=False, length=30, create_constraint=False)
    )
    note: Mapped[str | None] = mapped_column(String(2000))  # "Commissioned to Prussia; …"
    # The state the head was accredited to where it is not the post's host (Prussia, CSHH).
    accredited_to_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"))
    # Where the head lived when not in the host country (a concurrent appointment).
    resident_in_id: Mapped[int | None] = mapped_column(ForeignKey("country.id"))
    # With no end, the last date the source vouches for the tenure: the release's cutoff.
    until: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    historian_id: Mapped[str | None] = mapped_column(String(100), unique=True)
