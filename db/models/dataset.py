"""The releases of outside datasets the database holds."""

import datetime as dt
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.partial_date import PartialDate, PartialDateType


class Dataset(Base):
    """One release of a dataset, as last imported: where it is from and what it brought."""

    __tablename__ = "dataset"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)  # "pocom", "wikidata-missions"
    title: Mapped[str] = mapped_column(String(500))
    publisher: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(2000))
    licence: Mapped[str] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(100))  # a commit
    released: Mapped[dt.date | None]
    cutoff: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)
