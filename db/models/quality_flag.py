"""What an import found wrong in a source's record of a post, kept beside the post."""

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class QualityFlag(Base):
    """One fault of the source's record of a post (db/quality.py lists its kinds): the post
    keeps the source's values, and this says what is wrong with them."""

    __tablename__ = "quality_flag"

    mission_id: Mapped[int] = mapped_column(
        ForeignKey("mission.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    message: Mapped[str] = mapped_column(Text)
