"""Who may write: bearer tokens and the change log of what they wrote."""

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Role(enum.Enum):
    """What a token may do: readers only read (as anyone may); editors also write."""

    READER = "reader"
    EDITOR = "editor"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Token(Base):
    """A bearer token, kept as a public key plus the hash of its secret: never the token itself."""

    __tablename__ = "token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[Role]
    key: Mapped[str] = mapped_column(String(32), unique=True)  # the token's public part, for lookup
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Change(Base):
    """One successful write: when, by which token, which mutation, on what, before and after."""

    __tablename__ = "change"
    __table_args__ = (Index("ix_change_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100))
    target_type: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[int]
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
