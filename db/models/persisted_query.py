"""Automatic persisted queries: query texts registered under their SHA-256, for every process."""

import datetime as dt

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.access import utc_now


class PersistedQuery(Base):
    """A query text a client registered under its hash, so that any process can run the hash."""

    __tablename__ = "persisted_query"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)  # lower-case hexadecimal
    text: Mapped[str] = mapped_column(Text)
    # The oldest registered go first once the store is full.
    registered_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utc_now, index=True
    )
