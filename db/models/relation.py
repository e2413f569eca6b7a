"""The relations of two countries."""

from sqlalchemy import CheckConstraint, Column, ForeignKey, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.enums import RelationStatus
from db.models.source import citation_table
from db.partial_date import PartialDate, PartialDateType

relation_source = citation_table("relation")

# Bodies that exist for one relation: business councils, friendship associations.
relation_organization = Table(
    "relation_organization",
    Base.metadata,
    Column("relation_id", ForeignKey("relation.id", ondelete="CASCADE"), primary_key=True),
    Column("organization_id", ForeignKey("organization.id"), primary_key=True, index=True),
)


class Relation(Base):
    """Two countries' relations; the pair is stored once, ordered by country id."""

    __tablename__ = "relation"
    __table_args__ = (
        UniqueConstraint("country_a_id", "country_b_id"),
        CheckConstraint("country_a_id < country_b_id", name="ordered_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country_a_id: Mapped[int] = mapped_column(ForeignKey("country.id"))
    country_b_id: Mapped[int] = mapped_column(ForeignKey("country.id"), index=True)
    established: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    status: Mapped[RelationStatus | None]
    status_since: Mapped[PartialDate | None] = mapped_column(PartialDateType)
