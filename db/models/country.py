"""Countries, one row per ISO 3166-1 entry, and one per state that no longer exists."""

from typing import Any

from sqlalchemy import JSON, Boolean, Column, Enum, ForeignKey, Index, String, Table, false, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.countries import CodeScheme
from db.partial_date import PartialDate, PartialDateType


class Country(Base):
    """A state or territory as ISO 3166-1 lists it, Kosovo, or a state that no longer exists
    (db/countries.py's former states: Czechoslovakia, Prussia, …)."""

    __tablename__ = "country"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Alpha-2, upper case; a former state's four letters (CSHH, XPRU).
    code: Mapped[str] = mapped_column(String(4), unique=True)
    alpha3: Mapped[str] = mapped_column(
        String(4), unique=True
    )  # a former state's: CSK, or its code
    name: Mapped[str] = mapped_column(String(200))  # the display name (db/country_names.py)
    # ISO 3166-1's name and official name, and the other names it is known by (a JSON list).
    iso_name: Mapped[str | None] = mapped_column(String(200))
    official_name: Mapped[str | None] = mapped_column(String(200))
    known_as: Mapped[Any] = mapped_column(
        JSON, default=list, server_default=text("'[]'"), nullable=False
    )
    # The country's own Wikidata item (Q31 for Belgium); other items that stand for it, such as
    # "Kingdom of the Netherlands", are in the crosswalk (db/countries.py).
    wikidata: Mapped[str | None] = mapped_column(String(20), unique=True)
    # A state that no longer exists, with its long name and years as the Office of the
    # Historian's gazetteer gives them (a year stays a year).
    former: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    long_name: Mapped[str | None] = mapped_column(String(200))
    existed_from: Mapped[PartialDate | None] = mapped_column(PartialDateType)
    existed_until: Mapped[PartialDate | None] = mapped_column(PartialDateType)


# Which states came before which: Austria-Hungary before Czechoslovakia, Czechoslovakia before
# the Czech Republic and Slovakia.
country_succession = Table(
    "country_succession",
    Base.metadata,
    Column("predecessor_id", ForeignKey("country.id"), primary_key=True),
    Column("successor_id", ForeignKey("country.id"), primary_key=True, index=True),
)


class CountryName(Base):
    """A country's name in one language, from the translations pycountry ships."""

    __tablename__ = "country_name"

    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(20), primary_key=True)  # a locale: fr, pt_BR
    name: Mapped[str] = mapped_column(String(200))


class CountryIdentifier(Base):
    """One of a country's codes in a scheme researchers join on: ISO, Wikidata, COW, G&W."""

    __tablename__ = "country_identifier"
    __table_args__ = (Index("ix_country_identifier_scheme_value", "scheme", "value"),)

    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), primary_key=True)
    scheme: Mapped[CodeScheme] = mapped_column(
        Enum(CodeScheme, native_enum=False, length=20, create_constraint=False), primary_key=True
    )
    value: Mapped[str] = mapped_column(String(20))
