"""Where facts come from: a document and the section of it that states them."""

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Source(Base):
    """One section of one source document."""

    __tablename__ = "source"
    __table_args__ = (UniqueConstraint("title", "section", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    section: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))


def citation_table(subject: str) -> Table:
    """The link table between a kind of fact that may have several sources and its sources."""
    return Table(
        f"{subject}_source",
        Base.metadata,
        Column(f"{subject}_id", ForeignKey(f"{subject}.id", ondelete="CASCADE"), primary_key=True),
        Column("source_id", ForeignKey("source.id"), primary_key=True, index=True),
    )


class Record(Base):
    """Which row a record of an imported source became: the source's own id for it, kept so that
    importing a newer release updates that row, and importing the same one twice changes nothing."""

    __tablename__ = "source_record"

    origin: Mapped[str] = mapped_column(String(100), primary_key=True)  # the source: "pocom"
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)  # the row's kind (db.kinds)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # the source's id for it
    ref_id: Mapped[int]
