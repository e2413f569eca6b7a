"""Cost points each client spent in a window, shared by every process on one database."""

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class RateUsage(Base):
    """The points one client (a token's name or an address) spent in one window, all
    processes' spending added up (schema.budget)."""

    __tablename__ = "rate_usage"

    client: Mapped[str] = mapped_column(String(200), primary_key=True)
    # The window's start, in seconds since the epoch: windows are aligned, so every process
    # agrees on which one a request falls in.
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True)
    points: Mapped[int] = mapped_column(BigInteger)
