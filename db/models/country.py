"""Countries, one row per ISO 3166-1 entry."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Country(Base):
    """A state or territory as ISO 3166-1 lists it, or Kosovo."""

    __tablename__ = "country"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)  # alpha-2, upper case
    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The country's own Wikidata item (Q31 for Belgium); other items that stand for it, such as
    # "Kingdom of the Netherlands", are in the crosswalk (db/countries.py).
    wikidata: Mapped[str | None] = mapped_column(String(20), unique=True)
